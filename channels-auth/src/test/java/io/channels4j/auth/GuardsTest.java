package io.channels4j.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.LogLines;
import io.channels4j.Scope;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.consumer.AsyncHttpConsumer;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.routing.ProtocolTypeRouter;
import io.channels4j.testing.HttpCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@link RateLimitMiddleware} and {@link ConnectionLimitMiddleware} through communicators. */
class GuardsTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  /** Echoes every text frame. */
  static final class Echo extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> receive(String text, byte[] bytes) {
      return send("echo:" + text);
    }
  }

  /** Answers once {@link #release} completes. */
  static final class Held extends AsyncHttpConsumer {
    static volatile CompletableFuture<Void> release = new CompletableFuture<>();

    @Override
    public CompletionStage<Void> handle(byte[] body) {
      return release.thenCompose(v -> sendResponse(200, "ok".getBytes(StandardCharsets.UTF_8), List.of()));
    }
  }

  private static Application from(String ip, Application app) {
    InetSocketAddress client = new InetSocketAddress(ip, 40000);
    return (scope, receive, send) -> app.handle(scope.with("client", client), receive, send);
  }

  private static WebsocketCommunicator connected(Application app) {
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/");
    assertThat(ws.connect(WAIT).accepted()).isTrue();
    return ws;
  }

  @Test
  void overTheRateLimitTheSocketIsClosedWith1008AndOneLineSaysWhy() {
    AtomicLong nanos = new AtomicLong();
    Application app = from("192.0.2.7",
        RateLimitMiddleware.of(ProtocolTypeRouter.builder().websocket(AsyncConsumer.asApplication(Echo::new)).build(), 1, 2,
            RateLimitMiddleware.OverLimit.CLOSE, nanos::get));
    WebsocketCommunicator ws = connected(app);
    List<String> lines = LogLines.during(() -> {
      ws.sendTo("1");
      ws.sendTo("2");
      ws.sendTo("3");
      ws.sendTo("4");
      assertThat(ws.receiveFrom(WAIT)).isEqualTo("echo:1");
      assertThat(ws.receiveFrom(WAIT)).isEqualTo("echo:2");
      assertThat(ws.receiveClose(WAIT).code()).isEqualTo(1008);
      assertThat(ws.receiveNothing()).isTrue();
    });
    assertThat(lines).filteredOn(l -> l.contains("rate limit")).singleElement().asString()
        .contains("'/ws/'", "192.0.2.7", "1.0/s (burst 2)", "closing it with 1008");
    ws.disconnect(1008, WAIT);
  }

  @Test
  void inDropModeMessagesOverTheLimitAreDroppedAndTheSocketLivesOn() {
    AtomicLong nanos = new AtomicLong();
    Application app = RateLimitMiddleware.of(ProtocolTypeRouter.builder().websocket(AsyncConsumer.asApplication(Echo::new)).build(), 2, 1,
        RateLimitMiddleware.OverLimit.DROP, nanos::get);
    WebsocketCommunicator ws = connected(app);
    List<String> lines = LogLines.during(() -> {
      ws.sendTo("a");
      assertThat(ws.receiveFrom(WAIT)).isEqualTo("echo:a");
      ws.sendTo("dropped-1");
      ws.sendTo("dropped-2");
      nanos.addAndGet(500_000_000L); // half a second at 2/s: one token
      ws.sendTo("b");
      assertThat(ws.receiveFrom(WAIT)).isEqualTo("echo:b");
    });
    assertThat(lines).filteredOn(l -> l.contains("rate limit")).singleElement().asString()
        .contains("dropping its messages");
    ws.disconnect();
  }

  @Test
  void aLongRunOfQueuedDroppedMessagesNeverDeepensTheStack() throws Exception {
    java.util.Deque<io.channels4j.Message> queued = new java.util.ArrayDeque<>();
    queued.add(io.channels4j.Message.of("websocket.connect"));
    queued.add(io.channels4j.Message.of("websocket.receive", "text", "first"));
    for (int i = 0; i < 200_000; i++) {
      queued.add(io.channels4j.Message.of("websocket.receive", "text", "flood"));
    }
    queued.add(io.channels4j.Message.of("websocket.disconnect", "code", 1000));
    List<io.channels4j.Message> seen = new ArrayList<>();
    Application inner = (scope, receive, send) -> receive.receive().thenAccept(seen::add)
        .thenCompose(v -> receive.receive()).thenAccept(seen::add)
        .thenCompose(v -> receive.receive()).thenAccept(seen::add);
    AtomicLong nanos = new AtomicLong();
    List<String> lines = LogLines.during(() -> RateLimitMiddleware.of(inner, 1, 1, RateLimitMiddleware.OverLimit.DROP,
        nanos::get).handle(Scope.builder("websocket").path("/ws/").build(),
            () -> CompletableFuture.completedFuture(queued.poll()), m -> Application.done())
        .toCompletableFuture().join());
    assertThat(seen).extracting(io.channels4j.Message::type)
        .containsExactly("websocket.connect", "websocket.receive", "websocket.disconnect");
    assertThat(queued).isEmpty();
    assertThat(lines).filteredOn(l -> l.contains("rate limit")).hasSize(1);
  }

  @Test
  void httpAndBadSettingsAreNotRateLimited() {
    Application http = RateLimitMiddleware.of(
        ProtocolTypeRouter.builder().http(AsyncConsumer.asApplication(Held::new)).build(), 1, 1, RateLimitMiddleware.OverLimit.CLOSE);
    Held.release = CompletableFuture.completedFuture(null);
    for (int i = 0; i < 3; i++) {
      assertThat(new HttpCommunicator(http, "GET", "/").getResponse(WAIT).status()).isEqualTo(200);
    }
    assertThatThrownBy(() -> RateLimitMiddleware.of(http, 0, 1, RateLimitMiddleware.OverLimit.DROP))
        .hasMessageContaining("rate limit must be positive");
  }

  @Test
  void aSecondWebsocketFromOneAddressIsRefused403UntilTheFirstEnds() {
    Application limited = ConnectionLimitMiddleware.of(ProtocolTypeRouter.builder().websocket(AsyncConsumer.asApplication(Echo::new)).build(), 1);
    Application a = from("198.51.100.1", limited);
    WebsocketCommunicator first = connected(a);
    List<WebsocketCommunicator.Connection> refused = new ArrayList<>();
    List<String> lines = LogLines.during(() -> refused.add(new WebsocketCommunicator(a, "/ws/").connect(WAIT)));
    assertThat(refused.get(0).accepted()).isFalse();
    assertThat(lines).filteredOn(l -> l.contains("per-address limit")).singleElement().asString()
        .contains("WebSocket", "198.51.100.1", "1 connections");
    WebsocketCommunicator other = connected(from("198.51.100.2", limited));
    first.disconnect();
    WebsocketCommunicator again = connected(a);
    again.disconnect();
    other.disconnect();
  }

  @Test
  void aSecondHttpRequestFromOneAddressGets429UntilTheFirstIsAnswered() {
    Held.release = new CompletableFuture<>();
    ConnectionLimitMiddleware limited = ConnectionLimitMiddleware.of(ProtocolTypeRouter.builder().http(AsyncConsumer.asApplication(Held::new)).build(), 1);
    Application a = from("203.0.113.9", limited);
    HttpCommunicator first = new HttpCommunicator(a, "GET", "/page/");
    first.sendRequest();
    HttpCommunicator.Response second = new HttpCommunicator(a, "GET", "/page/").getResponse(WAIT);
    assertThat(second.status()).isEqualTo(429);
    assertThat(second.bodyText()).contains("too many connections");
    Held.release.complete(null);
    first.await(WAIT);
    assertThat(limited.openConnections(addr("203.0.113.9"))).isZero();
    assertThat(new HttpCommunicator(a, "GET", "/page/").getResponse(WAIT).status()).isEqualTo(200);
  }

  @Test
  void scopesWithoutAClientAddressAreNotCounted() {
    Held.release = CompletableFuture.completedFuture(null);
    Application limited = ConnectionLimitMiddleware.of(ProtocolTypeRouter.builder().http(AsyncConsumer.asApplication(Held::new)).build(), 1);
    assertThat(new HttpCommunicator(limited, "GET", "/").getResponse(WAIT).status()).isEqualTo(200);
    assertThatThrownBy(() -> ConnectionLimitMiddleware.of(limited, 0)).hasMessageContaining("at least 1");
  }

  private static InetAddress addr(String ip) {
    return new InetSocketAddress(ip, 0).getAddress();
  }

  @Test
  void csrfOriginChecksRefuseCrossSiteWritesWith403() {
    Application ok = ProtocolTypeRouter.builder().http(AsyncConsumer.asApplication(Held::new)).build();
    Held.release = CompletableFuture.completedFuture(null);
    CsrfOriginMiddleware csrf = CsrfOriginMiddleware.of(ok, List.of("chat.example.com", ".example.org"));
    assertThat(post(csrf, "http", Header.of("origin", "https://chat.example.com")).status()).isEqualTo(200);
    assertThat(post(csrf, "http", Header.of("origin", "https://a.example.org:8443")).status()).isEqualTo(200);
    assertThat(post(csrf, "http", Header.of("referer", "https://chat.example.com/chat/")).status()).isEqualTo(200);
    assertThat(post(csrf, "http").status()).isEqualTo(200);
    List<HttpCommunicator.Response> refused = new ArrayList<>();
    List<String> lines = LogLines.during(() -> {
      refused.add(post(csrf, "http", Header.of("origin", "https://evil.example\n.com")));
      refused.add(post(csrf, "http", Header.of("origin", "null")));
      refused.add(post(csrf, "http", Header.of("referer", "https://evil.example/page?token=s3cr3t")));
      refused.add(post(csrf, "https"));
    });
    assertThat(refused).allSatisfy(r -> assertThat(r.status()).isEqualTo(403));
    assertThat(refused.get(0).bodyText()).startsWith("Forbidden: Origin 'https://evil.example\\n.com' is not an allowed host");
    assertThat(refused.get(3).bodyText()).contains("HTTPS request without Origin or Referer");
    assertThat(lines).filteredOn(l -> l.contains("cross-site request check")).hasSize(4);
    assertThat(lines).noneMatch(l -> l.equals(".com'")).noneMatch(l -> l.contains("s3cr3t"));
    assertThat(refused.get(2).bodyText()).contains("Referer 'https://evil.example' is not an allowed host");
    HttpCommunicator get = new HttpCommunicator(csrf, "GET", "/", new byte[0],
        List.of(Header.of("origin", "https://evil.example")));
    assertThat(get.getResponse(WAIT).status()).isEqualTo(200);
  }

  private static HttpCommunicator.Response post(Application app, String scheme, Header... headers) {
    Application withScheme = (scope, receive, send) -> app.handle(scope.with("scheme", scheme), receive, send);
    return new HttpCommunicator(withScheme, "POST", "/chat/name/", new byte[0], List.of(headers)).getResponse(WAIT);
  }

  @Test
  void cookiesAreParsedAsDjangoParsesThem() {
    Scope scope = Scope.builder("http")
        .header("cookie", "a=1; b=\"quoted \\\"x\\\"\"; =empty-name;  c = spaced ; a=2; novalue")
        .build();
    assertThat(CookieMiddleware.cookies(scope))
        .containsEntry("a", "2").containsEntry("b", "quoted \"x\"").containsEntry("c", "spaced")
        .containsEntry("", "novalue");
    CookieMiddleware mw = new CookieMiddleware((s, r, snd) -> Application.done());
    assertThat(mw.toString()).startsWith("CookieMiddleware(");
  }

  @Test
  void setCookieRefusesHeaderInjectionAndWritesEveryAttribute() {
    assertThatThrownBy(() -> SetCookie.of("a", "x\r\nSet-Cookie: evil=1")).hasMessageContaining("cannot carry");
    assertThatThrownBy(() -> SetCookie.of("a;b", "x")).hasMessageContaining("token");
    assertThatThrownBy(() -> SetCookie.of("a", "x").withSameSite("sideways")).hasMessageContaining("Lax, Strict or None");
    SetCookie c = SetCookie.of("theme", "dark").withMaxAge(Duration.ofDays(1)).withSecure(true).withPath("/app")
        .withSameSite("strict").withHttpOnly(false);
    assertThat(c.headerValue()).isEqualTo("theme=dark; Max-Age=86400; Path=/app; Secure; SameSite=Strict");
    assertThat(c.toString()).doesNotContain("dark");
    io.channels4j.Message start = CookieMiddleware.setCookie(
        io.channels4j.Message.of("http.response.start", "status", 200), c);
    assertThat(Header.fromMessageValue(start.get("headers"))).containsExactly(Header.of("set-cookie", c.headerValue()));
  }
}
