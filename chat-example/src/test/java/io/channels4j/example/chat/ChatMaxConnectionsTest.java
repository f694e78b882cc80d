package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code --max-connections}: parsed, checked, and enforced by the real server. */
class ChatMaxConnectionsTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();

  @Test
  void theFlagOrVariableSetsTheLimitAndTheDefaultStaysTenThousand() {
    assertThat(ChatOptions.defaults().maxConnections()).isEqualTo(10_000);
    assertThat(ChatOptions.parse(new String[0], Map.of("CHAT_MAX_CONNECTIONS", "15000")).maxConnections())
        .isEqualTo(15_000);
    assertThat(ChatOptions.parse(new String[] {"--max-connections", "3"}, Map.of("CHAT_MAX_CONNECTIONS", "15000"))
        .maxConnections()).isEqualTo(3);
    assertThat(ChatOptions.HELP).contains("--max-connections", "CHAT_MAX_CONNECTIONS", "default 10000");
  }

  @Test
  void aBadValueIsRefusedNamingTheFlagAndQuotingTheValue() {
    assertThatThrownBy(() -> ChatOptions.parse(new String[] {"--max-connections", "0"}, Map.of()))
        .isInstanceOf(ChatOptions.UsageException.class)
        .hasMessage("--max-connections must be a whole number of at least 1, got '0'");
    assertThatThrownBy(() -> ChatOptions.parse(new String[0], Map.of("CHAT_MAX_CONNECTIONS", "lots")))
        .hasMessage("CHAT_MAX_CONNECTIONS must be a whole number of at least 1, got 'lots'");
  }

  @Test
  void theMainExitsWithStatus2OnABadValue() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ChatServerMain.run(new String[] {"--max-connections", "-5"}, Map.of(),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(status).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("chat-example: --max-connections must be a whole number of at least 1, got '-5'");
  }

  @Test
  void theConnectionPastTheLimitIsRefusedWith503AndAdmittedOnceOneCloses() {
    try (ChatServer s = ChatServer.start(ChatOptions.parse(new String[] {"--port", "0", "--max-connections", "2"},
        Map.of()))) {
      URI room = URI.create("ws://127.0.0.1:" + s.port() + "/ws/chat/lobby/");
      String origin = "http://127.0.0.1:" + s.port();
      WsClient a = WsClient.connect(HTTP, room, origin);
      try (WsClient b = WsClient.connect(HTTP, room, origin)) {
        assertThat(WsClient.refusedStatus(HTTP, room, origin)).isEqualTo(503);
        a.sendText("{\"message\": \"still here\"}");
        assertThat(b.nextText()).isEqualTo("{\"message\":\"still here\"}");
        a.close();
        // the slot comes back once the server has seen the close: the next handshake is admitted
        Awaitility.await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(() -> {
          try (WsClient c = WsClient.connect(HTTP, room, origin)) {
            c.sendText("{\"message\": \"admitted\"}");
            assertThat(c.nextText()).isEqualTo("{\"message\":\"admitted\"}");
          }
        });
      } finally {
        a.close();
      }
    }
  }
}
