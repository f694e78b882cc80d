package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebSocketTest {

  ChannelsServer server;
  static final BlockingQueue<Message> EVENTS = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
    EVENTS.clear();
  }

  String start(ChannelsServer.Builder b) {
    server = b.port(0).shutdownTimeout(Duration.ofSeconds(2)).closeTimeout(Duration.ofSeconds(1)).build().start();
    return "ws://127.0.0.1:" + server.port();
  }

  static Message nextEvent() throws InterruptedException {
    Message m = EVENTS.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("timed out waiting for an application event");
    }
    return m;
  }

  /** Echoes frames; "close:<code>:<reason>" closes; "boom" throws; records disconnect codes. */
  public static final class Echo extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      List<String> offered = scope().subprotocols();
      String sub = offered.contains("chat.v2") ? "chat.v2" : null;
      return accept(sub, List.of(Header.of("X-Accepted-By", "echo")));
    }

    @Override
    public CompletionStage<Void> receive(String text, byte[] bytes) {
      if (text == null) {
        return send(bytes);
      }
      if (text.startsWith("close:")) {
        String[] p = text.split(":", 3);
        return close(Integer.parseInt(p[1]), p[2]);
      }
      if (text.equals("boom")) {
        throw new IllegalStateException("boom (test)");
      }
      return send(text);
    }

    @Override
    public CompletionStage<Void> disconnect(int code) {
      EVENTS.add(Message.of("test.disconnect", "code", code));
      return Application.done();
    }
  }

  @Test
  void textAndBinaryFramesBothWays() throws Exception {
    String base = start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new)));
    WsRecorder c = WsRecorder.open(base + "/ws/echo/");
    c.send("hello");
    assertThat(c.nextText()).isEqualTo("hello");
    c.send("");
    assertThat(c.nextText()).isEqualTo("");
    c.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
    Object e = c.next();
    assertThat(e).isInstanceOf(WsRecorder.Binary.class);
    assertThat(((WsRecorder.Binary) e).bytes()).containsExactly(1, 2, 3);
    c.socket.sendClose(4002, "client leaves").get(5, TimeUnit.SECONDS);
    assertThat(nextEvent().getInt("code", -1)).isEqualTo(4002);
  }

  @Test
  void subprotocolAndAcceptHeaders() throws Exception {
    String base = start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new)));
    WsRecorder c = WsRecorder.open(base + "/ws/", "chat.v1", "chat.v2");
    assertThat(c.socket.getSubprotocol()).isEqualTo("chat.v2");
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws/", 0)) {
      assertThat(raw.status).isEqualTo(101);
      assertThat(raw.headers).containsEntry("x-accepted-by", "echo");
      assertThat(raw.headers).doesNotContainKey("sec-websocket-protocol");
    }
  }

  @Test
  void subprotocolTheClientDidNotOfferIsRefused() throws Exception {
    Application app = Apps.loop((scope, event, send) -> {
      if (event.type().equals("websocket.connect")) {
        send.send(Message.of("websocket.accept", "subprotocol", "other")).toCompletableFuture().join();
      }
      return true;
    });
    String base = start(ChannelsServer.builder(app));
    assertThatThrownBy(() -> WsRecorder.open(base + "/ws/", "chat.v1"))
        .hasCauseInstanceOf(WebSocketHandshakeException.class)
        .satisfies(t -> assertThat(((WebSocketHandshakeException) t.getCause()).getResponse().statusCode())
            .isEqualTo(500));
  }

  @Test
  void closeBeforeAcceptIs403AndTheApplicationSeesDisconnect() throws Exception {
    Application app = Apps.loop((scope, event, send) -> {
      if (event.type().equals("websocket.connect")) {
        send.send(Message.of("websocket.close", "code", 4403));
      } else {
        EVENTS.add(event);
      }
      return true;
    });
    String base = start(ChannelsServer.builder(app));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> WsRecorder.open(base + "/ws/private/"));
    assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
    assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(403);
    assertThat(nextEvent().type()).isEqualTo("websocket.disconnect");
  }

  @Test
  void denialResponseSendsTheApplicationsStatusAndBody() throws Exception {
    Application app = Apps.loop((scope, event, send) -> {
      if (event.type().equals("websocket.connect")) {
        send.send(Message.of("websocket.http.response.start", "status", 401, "headers",
            Header.toMessageValue(List.of(Header.of("WWW-Authenticate", "Bearer")))));
        send.send(Message.of("websocket.http.response.body", "body", "login ".getBytes(StandardCharsets.UTF_8),
            "more_body", true));
        send.send(Message.of("websocket.http.response.body", "body", "first".getBytes(StandardCharsets.UTF_8)));
      } else {
        EVENTS.add(event);
      }
      return true;
    });
    start(ChannelsServer.builder(app));
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws/", 0)) {
      assertThat(raw.status).isEqualTo(401);
      assertThat(raw.headers).containsEntry("www-authenticate", "Bearer");
      assertThat(raw.body).isEqualTo("login first");
    }
    assertThat(nextEvent().type()).isEqualTo("websocket.disconnect");
  }

  @Test
  void serverCloseCodeAndReasonReachTheClient() throws Exception {
    String base = start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new)));
    WsRecorder c = WsRecorder.open(base + "/ws/");
    c.send("close:4001:see you");
    WsRecorder.Close close = c.nextClose();
    assertThat(close.code()).isEqualTo(4001);
    assertThat(close.reason()).isEqualTo("see you");
    assertThat(nextEvent().getInt("code", -1)).isEqualTo(4001);
  }

  @Test
  void disconnectCodesForEmptyCloseAndAbruptLoss() throws Exception {
    start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new)));
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws/", 0)) {
      assertThat(raw.status).isEqualTo(101);
      raw.sendClose();
      RawWebSocket.Frame echo = raw.readDataOrClose();
      assertThat(echo.opcode()).isEqualTo(0x8);
      assertThat(nextEvent().getInt("code", -1)).isEqualTo(1005);
    }
    RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws/", 0);
    raw.sendText("ping?");
    assertThat(raw.readDataOrClose().text()).isEqualTo("ping?");
    raw.socket.setSoLinger(true, 0);
    raw.close();
    assertThat(nextEvent().getInt("code", -1)).isEqualTo(1006);
  }

  @Test
  void oversizedMessageCloses1009() throws Exception {
    String base = start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new)).maxMessageSize(1024));
    WsRecorder c = WsRecorder.open(base + "/ws/");
    c.send("x".repeat(1000));
    assertThat(c.nextText()).hasSize(1000);
    c.send("y".repeat(5000));
    assertThat(c.nextClose().code()).isEqualTo(1009);
  }

  @Test
  void handshakeTimeoutRefusesAndTellsTheApplication() throws Exception {
    Application app = Apps.loop((scope, event, send) -> {
      if (!event.type().equals("websocket.connect")) {
        EVENTS.add(event);
      }
      return true; // never accepts
    });
    String base = start(ChannelsServer.builder(app).handshakeTimeout(Duration.ofMillis(300)));
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> WsRecorder.open(base + "/ws/slow/"));
    assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(403);
    assertThat(nextEvent().type()).isEqualTo("websocket.disconnect");
  }

  @Test
  void applicationExceptionCloses1011AndOthersAreFine() throws Exception {
    String base = start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new)));
    WsRecorder bad = WsRecorder.open(base + "/ws/");
    WsRecorder good = WsRecorder.open(base + "/ws/");
    bad.send("boom");
    assertThat(bad.nextClose().code()).isEqualTo(1011);
    good.send("still here");
    assertThat(good.nextText()).isEqualTo("still here");
  }

  @Test
  void rawApplicationThatThrowsCloses1011() throws Exception {
    Application app = Apps.loop((scope, event, send) -> {
      if (event.type().equals("websocket.connect")) {
        send.send(Message.of("websocket.accept"));
      } else if (event.type().equals("websocket.receive")) {
        throw new IllegalStateException("raw boom (test)");
      }
      return true;
    });
    String base = start(ChannelsServer.builder(app));
    WsRecorder c = WsRecorder.open(base + "/ws/");
    c.send("anything");
    WsRecorder.Close close = c.nextClose();
    assertThat(close.code()).isEqualTo(1011);
  }

  @Test
  void silentPeerIsDroppedByPingTimeout() throws Exception {
    start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new))
        .pingInterval(Duration.ofMillis(100)).pingTimeout(Duration.ofMillis(300)));
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws/", 0)) {
      assertThat(raw.status).isEqualTo(101);
      RawWebSocket.Frame ping = raw.readFrame();
      assertThat(ping.opcode()).isEqualTo(0x9); // we never answer it
      assertThat(nextEvent().getInt("code", -1)).isEqualTo(1006);
      assertThat(raw.awaitEof()).isTrue();
    }
  }

  @Test
  void answeringPeerStaysConnected() throws Exception {
    String base = start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new))
        .pingInterval(Duration.ofMillis(50)).pingTimeout(Duration.ofMillis(200)));
    WsRecorder c = WsRecorder.open(base + "/ws/");
    // java.net.http answers pings: no disconnect during a dozen ping intervals, and it still echoes
    assertThat(EVENTS.poll(600, TimeUnit.MILLISECONDS)).isNull();
    c.send("still here");
    assertThat(c.nextText()).isEqualTo("still here");
  }

  @Test
  void idleTimeoutCloses1001() throws Exception {
    String base = start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new))
        .pingInterval(Duration.ZERO).idleTimeout(Duration.ofMillis(300)));
    WsRecorder c = WsRecorder.open(base + "/ws/");
    assertThat(c.nextClose().code()).isEqualTo(1001);
  }

  @Test
  void maxConnectionsRefusesBeyondTheLimit() throws Exception {
    String base = start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new)).maxConnections(2));
    WsRecorder a = WsRecorder.open(base + "/ws/");
    WsRecorder b = WsRecorder.open(base + "/ws/");
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> WsRecorder.open(base + "/ws/"));
    assertThat(((WebSocketHandshakeException) e.getCause()).getResponse().statusCode()).isEqualTo(503);
    a.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
    assertThat(nextEvent().getInt("code", -1)).isEqualTo(1000);
    // the slot is free again once the application has finished
    WsRecorder c = null;
    for (int i = 0; i < 100 && c == null; i++) {
      try {
        c = WsRecorder.open(base + "/ws/");
      } catch (ExecutionException retry) {
        Thread.onSpinWait();
      }
    }
    assertThat(c).isNotNull();
    b.send("b alive");
    assertThat(b.nextText()).isEqualTo("b alive");
  }

  @Test
  void gracefulShutdownCloses1001AndRunsDisconnectHandlers() throws Exception {
    String base = start(ChannelsServer.builder(AsyncConsumer.asApplication(Echo::new)));
    WsRecorder c1 = WsRecorder.open(base + "/ws/");
    WsRecorder c2 = WsRecorder.open(base + "/ws/");
    c1.send("hi");
    assertThat(c1.nextText()).isEqualTo("hi");
    server.stop();
    assertThat(c1.nextClose().code()).isEqualTo(1001);
    assertThat(c2.nextClose().code()).isEqualTo(1001);
    assertThat(nextEvent().getInt("code", -1)).isIn(1001, 1006);
    assertThat(nextEvent().getInt("code", -1)).isIn(1001, 1006);
    server = null;
  }
}
