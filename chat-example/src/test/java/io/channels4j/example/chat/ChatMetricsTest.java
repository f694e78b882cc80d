package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@code --metrics}: a real server, a real WebSocket, and the counts moving in {@code /metrics}. */
class ChatMetricsTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();

  private static HttpResponse<String> metrics(ChatServer s) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics"))
        .timeout(WsClient.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the sample {@code name{labels}} in a scrape; 0 when absent. */
  private static double sample(String scrape, String name, String labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + "} (\\S+)$")
        .matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static double sample(ChatServer s, String name, String labels) throws Exception {
    return sample(metrics(s).body(), name, labels);
  }

  @Test
  void countsMoveAsASocketConnectsSendsAndCloses() throws Exception {
    try (ChatServer s = ChatServer.start(ChatOptions.parse(new String[] {"--port", "0", "--metrics"}, Map.of()))) {
      HttpResponse<String> before = metrics(s);
      assertThat(before.statusCode()).isEqualTo(200);
      assertThat(before.headers().firstValue("content-type")).contains("text/plain; version=0.0.4; charset=utf-8");
      assertThat(sample(before.body(), "channels_connections_opened_total", "protocol=\"websocket\"")).isZero();

      String origin = "http://127.0.0.1:" + s.port();
      try (WsClient alice = WsClient.connect(HTTP, URI.create("ws://127.0.0.1:" + s.port() + "/ws/chat/lobby/"), origin);
          WsClient bob = WsClient.connect(HTTP, URI.create("ws://127.0.0.1:" + s.port() + "/ws/chat/lobby/"), origin)) {
        alice.sendText("{\"message\": \"hello\"}");
        assertThat(alice.nextText()).isEqualTo("{\"message\":\"hello\"}");
        assertThat(bob.nextText()).isEqualTo("{\"message\":\"hello\"}");

        String during = metrics(s).body();
        assertThat(sample(during, "channels_connections_opened_total", "protocol=\"websocket\"")).isEqualTo(2);
        assertThat(sample(during, "channels_connections_open", "protocol=\"websocket\"")).isEqualTo(2);
        assertThat(sample(during, "channels_messages_in_total", "protocol=\"websocket\"")).isEqualTo(1);
        assertThat(sample(during, "channels_messages_out_total", "protocol=\"websocket\"")).isEqualTo(2);
        assertThat(sample(during, "channels_group_sends_total", "layer=\"InMemoryChannelLayer\"")).isEqualTo(1);
        assertThat(sample(during, "channels_deliveries_total", "layer=\"InMemoryChannelLayer\"")).isEqualTo(2);
        assertThat(sample(during, "channels_layer_operations_seconds_count",
            "layer=\"InMemoryChannelLayer\",operation=\"group_send\",outcome=\"success\"")).isEqualTo(1);
        assertThat(sample(during, "channels_layer_operations_seconds_count",
            "layer=\"InMemoryChannelLayer\",operation=\"group_add\",outcome=\"success\"")).isEqualTo(2);
        assertThat(during).contains("channels_outbound_overflows_total 0.0", "channels_inbox_pauses_total 0.0");
      }
      // WsClient.close sends a normal close: both connections end with 1000
      Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        String after = metrics(s).body();
        assertThat(sample(after, "channels_connections_closed_total", "code=\"1000\",protocol=\"websocket\""))
            .isEqualTo(2);
        assertThat(sample(after, "channels_connections_open", "protocol=\"websocket\"")).isZero();
      });
      // the page loads are counted too, scrapes are not
      HTTP.send(HttpRequest.newBuilder(URI.create(origin + "/chat/")).timeout(WsClient.TIMEOUT).build(),
          HttpResponse.BodyHandlers.discarding());
      assertThat(sample(s, "channels_connections_closed_total", "code=\"200\",protocol=\"http\"")).isEqualTo(1);
    }
  }

  @Test
  void withoutTheFlagThereIsNoMetricsPage() throws Exception {
    try (ChatServer s = ChatServer.start(ChatOptions.parse(new String[] {"--port", "0"}, Map.of()))) {
      assertThat(s.layer().getClass().getSimpleName()).isEqualTo("InMemoryChannelLayer");
      assertThat(metrics(s).statusCode()).isEqualTo(404);
    }
  }
}
