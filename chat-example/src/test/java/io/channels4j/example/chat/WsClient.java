package io.channels4j.example.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real WebSocket client (java.net.http) that records what arrives in a queue, so tests wait with
 * timeouts instead of sleeping.
 */
final class WsClient implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** Something that arrived: a text message or the server's close. */
  static final class Event {
    final String text;
    final int closeCode;
    final String closeReason;

    private Event(String text, int closeCode, String closeReason) {
      this.text = text;
      this.closeCode = closeCode;
      this.closeReason = closeReason;
    }

    boolean isClose() {
      return text == null;
    }

    @Override
    public String toString() {
      return isClose() ? "close(" + closeCode + ", " + closeReason + ")" : "text(" + text + ")";
    }
  }

  private final BlockingQueue<Event> events;
  private final CompletableFuture<Throwable> error;
  private final WebSocket socket;

  private WsClient(WebSocket socket, BlockingQueue<Event> events, CompletableFuture<Throwable> error) {
    this.socket = socket;
    this.events = events;
    this.error = error;
  }

  /** Connects to {@code uri} sending {@code origin} (none if null); fails if the handshake fails. */
  static WsClient connect(HttpClient http, URI uri, String origin) {
    return connect(http, uri, origin, null);
  }

  /** Connects to {@code uri} sending {@code origin} and {@code cookie} (each none if null). */
  static WsClient connect(HttpClient http, URI uri, String origin, String cookie) {
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    CompletableFuture<Throwable> error = new CompletableFuture<>();
    Listener listener = new Listener(events, error);
    WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
    if (origin != null) {
      b.header("Origin", origin);
    }
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    try {
      WebSocket ws = b.buildAsync(uri, listener).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new WsClient(ws, events, error);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("WebSocket handshake with " + uri + " took over " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The HTTP status of a refused handshake, or fails if the handshake succeeded. */
  static int refusedStatus(HttpClient http, URI uri, String origin) {
    try {
      WsClient c = connect(http, uri, origin);
      c.abort();
      throw new AssertionError("expected the handshake with " + uri + " (origin " + origin + ") to be refused");
    } catch (CompletionException e) {
      if (e.getCause() instanceof WebSocketHandshakeException) {
        return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
      }
      throw e;
    }
  }

  void sendText(String text) {
    join(socket.sendText(text, true));
  }

  void sendBinary(byte[] data) {
    join(socket.sendBinary(ByteBuffer.wrap(data), true));
  }

  /** The next event, failing after {@link #TIMEOUT}. */
  Event next() {
    try {
      Event e = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new AssertionError("nothing arrived within " + TIMEOUT
            + (error.isDone() ? "; the socket failed: " + error.getNow(null) : ""));
      }
      return e;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  /** The next text message, failing if a close or nothing arrives. */
  String nextText() {
    Event e = next();
    if (e.isClose()) {
      throw new AssertionError("expected a text message, got " + e);
    }
    return e.text;
  }

  /** The server's close, failing if a message or nothing arrives. */
  Event nextClose() {
    Event e = next();
    if (!e.isClose()) {
      throw new AssertionError("expected a close, got " + e);
    }
    return e;
  }

  /** True if nothing arrived within {@code wait}; a bounded wait for an absence, not synchronisation. */
  boolean nothingWithin(Duration wait) {
    try {
      Event e = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (e != null) {
        throw new AssertionError("expected nothing, got " + e);
      }
      return true;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  void abort() {
    socket.abort();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(t -> null);
    }
    socket.abort();
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("send did not complete within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static final class Listener implements WebSocket.Listener {
    private final BlockingQueue<Event> events;
    private final CompletableFuture<Throwable> error;
    private final StringBuilder partial = new StringBuilder();

    Listener(BlockingQueue<Event> events, CompletableFuture<Throwable> error) {
      this.events = events;
      this.error = error;
    }

    private void add(Event e) {
      events.add(e);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        add(new Event(partial.toString(), 0, null));
        partial.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      add(new Event("<binary " + data.remaining() + " bytes>", 0, null));
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      add(new Event(null, statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      this.error.complete(error);
    }
  }
}
