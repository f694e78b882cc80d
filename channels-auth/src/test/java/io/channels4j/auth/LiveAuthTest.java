package io.channels4j.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.undertow.ChannelsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole stack over a real {@link ChannelsServer} on port 0, with the JDK's HTTP and WebSocket clients: an
 * HTTP login sets the cookie, a WebSocket on that cookie is the user, a forged cookie is anonymous, a
 * cross-site POST is refused 403 and a flooding socket is closed 1008.
 */
class LiveAuthTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static ChannelsServer server;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    Application stack = AuthTestApp.create(SessionMiddleware.builder(new InMemorySessionStore(), List.of("live-key")));
    Application guarded = ConnectionLimitMiddleware.of(
        CsrfOriginMiddleware.of(RateLimitMiddleware.of(stack, 1, 3, RateLimitMiddleware.OverLimit.CLOSE),
            List.of("127.0.0.1", "localhost")),
        50);
    server = ChannelsServer.builder(guarded).port(0).build().start();
    http = HttpClient.newBuilder().connectTimeout(WAIT).build();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  private static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(WAIT).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A WebSocket that queues what it receives. */
  static final class Client implements WebSocket.Listener {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket socket;

    static Client open(String cookie) throws Exception {
      Client c = new Client();
      WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(WAIT);
      if (cookie != null) {
        b.header("Cookie", cookie);
      }
      c.socket = b.buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/"), c)
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      return c;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      texts.add(data.toString());
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      closed.complete(code);
      return null;
    }

    String ask(String text) throws Exception {
      socket.sendText(text, true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      String answer = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(answer).as("answer to %s", text).isNotNull();
      return answer;
    }

    void close() {
      socket.sendClose(1000, "").orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).exceptionally(e -> null).join();
    }
  }

  private static String cookieOf(HttpResponse<String> r) {
    String setCookie = r.headers().firstValue("set-cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  @Test
  void anHttpLoginIsTheUserOfAWebsocketOnTheSameCookie() throws Exception {
    HttpResponse<String> login = send("GET", "/login/?5");
    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(login.headers().firstValue("set-cookie").orElseThrow())
        .contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=1209600");
    Client ws = Client.open(cookieOf(login));
    assertThat(ws.ask("who")).isEqualTo("note=;user=user5");
    ws.close();
  }

  @Test
  void aForgedCookieIsAnonymousNeverAnError() throws Exception {
    String cookie = cookieOf(send("GET", "/login/?6"));
    String forged = cookie.substring(0, cookie.length() - 3) + (cookie.endsWith("xyz") ? "abc" : "xyz");
    assertThat(send("GET", "/get/", "Cookie", forged).body()).isEqualTo("note=;user=anonymous");
    Client ws = Client.open(forged);
    assertThat(ws.ask("who")).isEqualTo("note=;user=anonymous");
    ws.close();
  }

  @Test
  void aCrossSitePostIsRefused403AndASameSiteOneGoesThrough() throws Exception {
    HttpResponse<String> evil = send("POST", "/set/?x", "Origin", "https://evil.example");
    assertThat(evil.statusCode()).isEqualTo(403);
    assertThat(evil.body()).contains("Origin 'https://evil.example' is not an allowed host");
    HttpResponse<String> same = send("POST", "/set/?x", "Origin", "http://127.0.0.1:" + server.port());
    assertThat(same.statusCode()).isEqualTo(200);
  }

  @Test
  void aFloodingSocketIsClosedWith1008() throws Exception {
    Client ws = Client.open(null);
    int sent = 0;
    try {
      for (; sent < 10; sent++) {
        ws.socket.sendText("who", true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (java.util.concurrent.ExecutionException e) {
      // the server closed the socket mid-burst: the client's output is closed, as it should be
      assertThat(e).hasRootCauseMessage("Output closed");
      assertThat(sent).as("sends before the close").isGreaterThanOrEqualTo(3);
    }
    assertThat(ws.closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1008);
    // The burst of 3 went through (plus one per second of sending on a slow machine); never all 10.
    assertThat(ws.texts.size()).isBetween(3, 9);
  }
}
