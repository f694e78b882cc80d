package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client text that reaches a log line (paths, queries) cannot forge another line. */
class AccessLogInjectionTest extends LiveServerTest {

  /** HTTP answers 200; WebSockets are accepted unless the path says "reject", and close on any text. */
  private int startApp() {
    Application app = Apps.loop((scope, event, send) -> {
      switch (event.type()) {
        case "http.request" -> {
          if (scope.path().contains("boom")) {
            throw new IllegalStateException("application failure");
          }
          send.send(HttpTest.response(200, ""));
          send.send(HttpTest.body("ok", false));
        }
        case "websocket.connect" -> send.send(scope.path().contains("reject")
            ? Message.of("websocket.close") : Message.of("websocket.accept"));
        case "websocket.receive" -> send.send(Message.of("websocket.close", "code", 1000));
        default -> { }
      }
      return true;
    });
    return start(ChannelsServer.builder(app));
  }

  @Test
  void httpLineKeepsTheEncodedPathAndEscapesControlCharacters() throws Exception {
    int port = startApp();
    try (LogCapture log = LogCapture.start(); RawHttp c = new RawHttp(port)) {
      c.send("GET /a%0a127.0.0.1:1%20%22GET%20/forged%22%20200?q=%0d%0aFORGEDQ HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(200);
      List<String> lines = log.await(l -> l.contains("/forged"), 1, WAIT);
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0)).contains("\"GET /a%0a127.0.0.1:1%20%22GET%20/forged%22%20200?q=%0d%0aFORGEDQ\" 200");
      assertThat(log.lines(l -> l.startsWith("127.0.0.1:1") || l.startsWith("FORGED"))).isEmpty();
    }
  }

  @Test
  void errorLinesEscapeThePathToo() throws Exception {
    int port = startApp();
    try (LogCapture log = LogCapture.start(); RawHttp c = new RawHttp(port)) {
      c.send("GET /boom%0aFORGEDERR%20line HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.read().status()).isEqualTo(500);
      List<String> lines = log.await(l -> l.contains("Application failed on HTTP"), 1, WAIT);
      assertThat(lines.get(0)).contains("/boom%0aFORGEDERR%20line");
      log.await(l -> l.contains("\"GET /boom"), 1, WAIT);
      assertThat(log.lines(l -> l.startsWith("FORGEDERR"))).isEmpty();
    }
  }

  @Test
  void webSocketLinesEscapeLineBreaksInThePath() throws Exception {
    int port = startApp();
    String forged = "/ws/x%0a127.0.0.1:9%20WSCONNECT%20/forged%0d%0a";
    try (LogCapture log = LogCapture.start()) {
      try (RawWebSocket ws = RawWebSocket.connect(port, forged, 0)) {
        assertThat(ws.status).isEqualTo(101);
        ws.sendText("bye");
        assertThat(ws.readDataOrClose().opcode()).isEqualTo(0x8);
        ws.sendClose(1000);
      }
      try (RawWebSocket ws = RawWebSocket.connect(port, forged + "reject", 0)) {
        assertThat(ws.status).isEqualTo(403);
      }
      List<String> lines = log.await(l -> l.contains("/forged"), 3, WAIT);
      assertThat(lines).hasSize(3);
      assertThat(lines).anyMatch(l -> l.contains(" WSCONNECT /ws/x"))
          .anyMatch(l -> l.contains(" WSDISCONNECT /ws/x"))
          .anyMatch(l -> l.contains(" WSREJECT /ws/x"));
      // whether the bridge passes the raw or the decoded path, the break never reaches the log
      assertThat(lines).allMatch(l -> l.contains("%0a127.0.0.1:9") || l.contains("\\n127.0.0.1:9"));
      assertThat(log.lines(l -> l.startsWith("127.0.0.1:9") || l.startsWith("\r"))).isEmpty();
    }
  }
}
