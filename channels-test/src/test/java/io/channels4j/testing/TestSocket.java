package io.channels4j.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A java.net.http WebSocket whose text messages land in a queue, read with timeouts. */
final class TestSocket implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final WebSocket socket;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  TestSocket(LiveServer server, String path) {
    WebSocket.Listener listener = new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          texts.add(partial.toString());
          partial.setLength(0);
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        closed.complete(null);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.complete(null);
      }
    };
    this.socket = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT).header("Origin", server.origin())
        .buildAsync(server.wsUri(path), listener).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  void send(String text) {
    socket.sendText(text, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** The next text message; fails if none arrives within the timeout. */
  String next() throws InterruptedException {
    String t = texts.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (t == null) {
      throw new AssertionError("no message within " + TIMEOUT);
    }
    return t;
  }

  /** True if no message arrives within {@code quiet}. */
  boolean nothingWithin(Duration quiet) throws InterruptedException {
    return texts.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) == null;
  }

  @Override
  public void close() {
    try {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").thenCompose(ws -> closed)
          .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
    } finally {
      socket.abort();
    }
  }
}
