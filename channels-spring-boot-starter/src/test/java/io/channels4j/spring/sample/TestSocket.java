package io.channels4j.spring.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real WebSocket client (java.net.http) that queues the text messages it receives. */
final class TestSocket implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
  private final WebSocket socket;

  private TestSocket(URI uri) throws Exception {
    StringBuilder partial = new StringBuilder();
    WebSocket.Listener listener = new WebSocket.Listener() {
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
    };
    socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(TIMEOUT)
        .buildAsync(uri, listener).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Connects to {@code path} on the local server at {@code port}; returns once the handshake is done. */
  static TestSocket connect(int port, String path) throws Exception {
    return new TestSocket(URI.create("ws://127.0.0.1:" + port + path));
  }

  void sendText(String text) throws Exception {
    socket.sendText(text, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The next text message; fails if none comes within the timeout. */
  String nextText() throws InterruptedException {
    String text = texts.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (text == null) {
      throw new AssertionError("no text message within " + TIMEOUT);
    }
    return text;
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .exceptionally(e -> null).join();
  }
}
