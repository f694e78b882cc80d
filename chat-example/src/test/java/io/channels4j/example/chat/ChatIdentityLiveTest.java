package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Display names over real servers and real java.net.http clients: an HTTP POST sets the name and a
 * WebSocket on the same cookie sends as that user; on the Redis layer the name set on one node is the user
 * of a socket on another node sharing the secret key and the Redis session store.
 */
class ChatIdentityLiveTest {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();

  private static String base(ChatServer s) {
    return "http://127.0.0.1:" + s.port();
  }

  /** Posts the name form as the index page does; returns the new session cookie. */
  private static String setName(ChatServer s, String name) throws Exception {
    HttpRequest post = HttpRequest.newBuilder(URI.create(base(s) + "/chat/name/"))
        .timeout(WsClient.TIMEOUT)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Origin", base(s))
        .POST(HttpRequest.BodyPublishers.ofString("name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
        .build();
    HttpResponse<String> r = HTTP.send(post, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.headers().firstValue("location")).contains("/chat/");
    String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
    assertThat(setCookie).contains("HttpOnly", "SameSite=Lax");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static WsClient join(ChatServer s, String cookie) {
    return WsClient.connect(HTTP, URI.create("ws://127.0.0.1:" + s.port() + "/ws/chat/lobby/"), base(s), cookie);
  }

  @Test
  void aNamePostedOverHttpIsTheUserOfTheSocketOnTheSameCookie() throws Exception {
    try (ChatServer s = ChatServer.start(ChatOptions.parse(new String[] {"--port", "0"}, Map.of()))) {
      String cookie = setName(s, "Ada Lovelace");
      try (WsClient ada = join(s, cookie); WsClient anon = join(s, null)) {
        ada.sendText("{\"message\": \"hello\"}");
        assertThat(anon.nextText()).isEqualTo("{\"message\":\"hello\",\"user\":\"Ada Lovelace\"}");
        // A group send reaches its members one after another: Ada's copy may still be on its way when
        // Anon has his, so Ada reads hers before Anon answers (no order between two senders is promised).
        assertThat(ada.nextText()).isEqualTo("{\"message\":\"hello\",\"user\":\"Ada Lovelace\"}");
        anon.sendText("{\"message\": \"hi\"}");
        assertThat(ada.nextText()).isEqualTo("{\"message\":\"hi\"}");
      }
    }
  }

  @Test
  void onRedisANameSetOnOneNodeIsTheUserOnAnother() throws Exception {
    try (RedisProcess redis = RedisProcess.startOrSkip()) {
      String[] args = {"--port", "0", "--layer", "redis", "--redis-url", redis.uri(), "--secret-key",
          "shared-by-both-nodes-0123456789"};
      try (ChatServer a = ChatServer.start(ChatOptions.parse(args, Map.of()));
          ChatServer b = ChatServer.start(ChatOptions.parse(args, Map.of()))) {
        String cookie = setName(a, "Grace");
        try (WsClient onB = join(b, cookie); WsClient watcherOnA = join(a, null)) {
          onB.sendText("{\"message\": \"from b\"}");
          assertThat(watcherOnA.nextText()).isEqualTo("{\"message\":\"from b\",\"user\":\"Grace\"}");
        }
      }
    }
  }

  /** Runs {@code action} and returns what the logger wrote to stderr meanwhile. */
  private static synchronized String stderrDuring(Runnable action) {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void withoutASecretKeyTheServerWarnsThatSessionsEndWithTheProcess() {
    String random = stderrDuring(() -> ChatServer.start(ChatOptions.parse(new String[] {"--port", "0"}, Map.of())).close());
    assertThat(random).contains("WARN", "No --secret-key (CHAT_SECRET_KEY) given", "end when this process stops");
    String given = stderrDuring(() -> ChatServer.start(ChatOptions.parse(
        new String[] {"--port", "0", "--secret-key", "a-secret-nobody-may-log-42"}, Map.of())).close());
    assertThat(given).doesNotContain("No --secret-key").doesNotContain("a-secret-nobody-may-log-42");
  }
}
