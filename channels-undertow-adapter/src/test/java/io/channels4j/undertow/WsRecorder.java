package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A java.net.http WebSocket listener that records every event into a queue, polled with a timeout. */
final class WsRecorder implements WebSocket.Listener {

  record Text(String text) {}

  record Binary(byte[] bytes) {}

  record Close(int code, String reason) {}

  record Failure(Throwable error) {}

  static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private StringBuilder text = new StringBuilder();
  private ByteArrayOutputStream binary = new ByteArrayOutputStream();
  WebSocket socket;

  static WsRecorder open(String uri, String... subprotocols) throws Exception {
    return open(CLIENT, uri, subprotocols);
  }

  static WsRecorder open(HttpClient client, String uri, String... subprotocols) throws Exception {
    WsRecorder r = new WsRecorder();
    WebSocket.Builder b = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
    if (subprotocols.length > 0) {
      b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
    }
    r.socket = b.buildAsync(URI.create(uri), r).get(10, TimeUnit.SECONDS);
    return r;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(Long.MAX_VALUE);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      events.add(new Text(text.toString()));
      text = new StringBuilder();
    }
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] b = new byte[data.remaining()];
    data.get(b);
    binary.writeBytes(b);
    if (last) {
      events.add(new Binary(binary.toByteArray()));
      binary = new ByteArrayOutputStream();
    }
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    events.add(new Close(statusCode, reason));
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    events.add(new Failure(error));
  }

  Object next() throws InterruptedException {
    return take(events, "a WebSocket event");
  }

  /** The next item of {@code queue}, failing loudly after 10 s. */
  static <T> T take(BlockingQueue<T> queue, String what) throws InterruptedException {
    T e = queue.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("timed out waiting for " + what);
    }
    return e;
  }

  String nextText() throws InterruptedException {
    Object e = next();
    assertThat(e).isInstanceOf(Text.class);
    return ((Text) e).text();
  }

  Close nextClose() throws InterruptedException {
    Object e = next();
    while (e instanceof Text || e instanceof Binary) {
      e = next();
    }
    assertThat(e).isInstanceOf(Close.class);
    return (Close) e;
  }

  void send(String message) throws Exception {
    socket.sendText(message, true).get(5, TimeUnit.SECONDS);
  }
}
