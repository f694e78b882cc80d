package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Message;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Request heads: time and size limits, and the connections sending them counted against the limits. */
class HeaderLimitsTest extends LiveServerTest {

  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void aHeadSentOneBytePer100MsIsCutAtTheHeaderTimeout() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).headerTimeout(Duration.ofMillis(600)));
    try (LogCapture log = LogCapture.start(); RawHttp c = new RawHttp(port)) {
      assertTrickleCutWith408(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "z".repeat(200) + "\r\n\r\n",
          Duration.ofMillis(500), Duration.ofSeconds(4));
      assertThat(log.await(l -> l.contains("(headerTimeout)"), 1, WAIT)).hasSize(1);
    }
    assertThat(echo.started).hasValue(0);
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAtTheHeaderTimeout() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).headerTimeout(Duration.ofMillis(300)));
    try (RawHttp c = new RawHttp(port)) {
      assertThat(c.read().status()).isEqualTo(408);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void aSlowHeadOnAKeptAliveConnectionIsCutToo() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).headerTimeout(Duration.ofMillis(500)));
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      c.send("GET /two HTTP/1.1\r\nHo");
      assertThat(c.read().status()).isEqualTo(408);
      assertThat(c.closedByServer()).isTrue();
    }
  }

  @Test
  void headsOverTheDefault16KiBAreAnswered431() throws Exception {
    int port = start(ChannelsServer.builder(echo.app));
    try (LogCapture log = LogCapture.start(); RawHttp c = new RawHttp(port)) {
      StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
      for (int i = 0; i < 17; i++) {
        head.append("X-Big-").append(i).append(": ").append("v".repeat(1024)).append("\r\n");
      }
      c.send(head.append("\r\n").toString());
      assertThat(head.length()).isGreaterThan(17 * 1024);
      assertThat(c.read().status()).isEqualTo(431);
      assertThat(c.closedByServer()).isTrue();
      assertThat(log.await(l -> l.contains("(maxHeaderSize)"), 1, WAIT).get(0)).contains("over 16384 bytes");
    }
    assertThat(echo.started).hasValue(0);
  }

  @Test
  void headsJustUnderTheLimitAndTheirBodiesAreServed() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).maxHeaderSize(4096));
    try (RawHttp c = new RawHttp(port)) {
      for (int i = 0; i < 3; i++) { // the limit applies per request on a kept-alive connection
        String body = "b".repeat(50_000);
        c.send("POST / HTTP/1.1\r\nHost: x\r\nX-Pad: " + "p".repeat(3900) + "\r\nContent-Length: " + body.length()
            + "\r\n\r\n" + body);
        RawHttp.Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).hasSize(50_000);
      }
    }
  }

  @Test
  void connectionsStillSendingTheirHeadCountAgainstMaxConnections() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).maxConnections(2));
    try (RawHttp slow1 = new RawHttp(port); RawHttp slow2 = new RawHttp(port)) {
      slow1.send("GET / HTTP/1.1\r\nHo");
      slow2.send("GET / HTTP/1.1\r\nHo");
      await(() -> server.handler().activeConnections() == 2, "two heads in progress");
      try (RawHttp third = new RawHttp(port)) {
        third.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(third.read().status()).isEqualTo(503);
      }
      slow1.send("st: x\r\n\r\n");
      assertThat(slow1.read().status()).isEqualTo(200);
    }
    await(() -> server.handler().activeConnections() == 0, "every slot back");
  }

  @Test
  void connectionsPerAddressAreLimitedTo429() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).maxConnectionsPerAddress(3));
    List<RawHttp> open = new ArrayList<>();
    try (LogCapture log = LogCapture.start()) {
      for (int i = 0; i < 3; i++) {
        RawHttp c = new RawHttp(port);
        open.add(c);
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(200); // kept alive: still counted
      }
      try (RawHttp fourth = new RawHttp(port)) {
        assertThat(fourth.read().status()).isEqualTo(429);
        assertThat(fourth.closedByServer()).isTrue();
      }
      assertThat(log.await(l -> l.contains("(maxConnectionsPerAddress)"), 1, WAIT)).hasSize(1);
      open.remove(0).close();
      await(() -> server.gate.openFrom(LOOPBACK) == 2, "the closed connection's slot back");
      try (RawHttp again = new RawHttp(port)) {
        again.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(again.read().status()).isEqualTo(200);
      }
    } finally {
      for (RawHttp c : open) {
        c.close();
      }
    }
  }

  @Test
  void closedWebSocketsAndKeptAliveConnectionsGiveTheirAddressSlotBack() throws Exception {
    Application app = Apps.loop((scope, event, send) -> {
      switch (event.type()) {
        case "websocket.connect" -> send.send(Message.of("websocket.accept"));
        case "http.request" -> {
          send.send(HttpTest.response(200, ""));
          send.send(HttpTest.body("ok", false));
        }
        default -> { }
      }
      return true;
    });
    int port = start(ChannelsServer.builder(app).maxConnectionsPerAddress(2));
    for (int i = 0; i < 5; i++) {
      try (RawWebSocket ws = RawWebSocket.connect(port, "/ws/", 0)) {
        assertThat(ws.status).as("WebSocket " + i).isEqualTo(101);
        ws.sendClose(1000);
        assertThat(ws.readDataOrClose().opcode()).isEqualTo(0x8);
      }
      try (RawHttp c = new RawHttp(port)) {
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.read().status()).as("HTTP " + i).isEqualTo(200);
      }
      await(() -> server.gate.openFrom(LOOPBACK) == 0, "the address's connections released");
    }
    try (RawHttp a = new RawHttp(port); RawHttp b = new RawHttp(port)) {
      for (RawHttp c : List.of(a, b)) {
        c.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(c.read().status()).isEqualTo(200);
      }
    }
  }

  @Test
  void webSocketsOutliveTheHeaderTimeout() throws Exception {
    Application app = Apps.loop((scope, event, send) -> {
      switch (event.type()) {
        case "websocket.connect" -> send.send(Message.of("websocket.accept"));
        case "websocket.receive" -> send.send(Message.of("websocket.send", "text", "echo " + event.getString("text")));
        default -> { }
      }
      return true;
    });
    int port = start(ChannelsServer.builder(app).headerTimeout(Duration.ofMillis(200)));
    try (RawWebSocket ws = RawWebSocket.connect(port, "/ws/", 0)) {
      assertThat(ws.status).isEqualTo(101);
      for (int i = 0; i < 4; i++) {
        TimeUnit.MILLISECONDS.sleep(150); // idle longer than the header timeout, in steps
        ws.sendText("m" + i);
        RawWebSocket.Frame f = ws.readDataOrClose();
        assertThat(new String(f.payload(), StandardCharsets.UTF_8)).isEqualTo("echo m" + i);
      }
    }
  }

  @Test
  void optionsAreValidatedAtOnce() {
    ChannelsServer.Builder b = ChannelsServer.builder(echo.app);
    assertThatThrownBy(() -> b.headerTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("headerTimeout").hasMessageContaining("PT0S");
    assertThatThrownBy(() -> b.maxHeaderSize(100)).hasMessageContaining("maxHeaderSize").hasMessageContaining("got 100");
    assertThatThrownBy(() -> b.maxConnectionsPerAddress(0)).hasMessageContaining("maxConnectionsPerAddress")
        .hasMessageContaining("got 0");
  }
}
