package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.auth.InMemorySessionStore;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.testing.HttpCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The chat's sessions, display names and guards through the whole application, driven by communicators. */
class ChatIdentityTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String ORIGIN = "http://127.0.0.1:8000";
  private final List<WebsocketCommunicator> open = new ArrayList<>();
  private InMemoryChannelLayer layer;
  private Application app;

  @BeforeEach
  void setUp() {
    layer = InMemoryChannelLayer.create();
    ChannelLayers.set(ChannelLayers.DEFAULT, layer);
    app = ChatApplication.create(ChatOptions.LOCAL_HOSTS, new ChatApplication.Identity(
        new InMemorySessionStore(), List.of("chat-identity-test-key"), 0, 0));
  }

  @AfterEach
  void tearDown() {
    open.forEach(WebsocketCommunicator::disconnect);
    ChannelLayers.remove(ChannelLayers.DEFAULT);
    layer.close();
  }

  private HttpCommunicator.Response postName(String name, String origin, String cookie) {
    List<Header> headers = new ArrayList<>(List.of(Header.of("content-type", "application/x-www-form-urlencoded")));
    if (origin != null) {
      headers.add(Header.of("origin", origin));
    }
    if (cookie != null) {
      headers.add(Header.of("cookie", cookie));
    }
    byte[] body = ("name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    return new HttpCommunicator(app, "POST", "/chat/name/", body, headers).getResponse(WAIT);
  }

  private static String cookie(HttpCommunicator.Response r) {
    String set = r.header("set-cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  private WebsocketCommunicator join(String cookie) {
    List<Header> headers = new ArrayList<>(List.of(Header.of("origin", ORIGIN)));
    if (cookie != null) {
      headers.add(Header.of("cookie", cookie));
    }
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/chat/lobby/", headers, List.of());
    assertThat(ws.connect(WAIT).accepted()).isTrue();
    open.add(ws);
    return ws;
  }

  @Test
  void everyPageCarriesAnHttpOnlyLaxSessionCookie() {
    for (String path : new String[] {"/chat/", "/chat/lobby/", "/"}) {
      HttpCommunicator.Response r = new HttpCommunicator(app, "GET", path).getResponse(WAIT);
      assertThat(r.header("set-cookie")).as(path).hasValueSatisfying(c ->
          assertThat(c).startsWith("sessionid=").contains("; HttpOnly", "; SameSite=Lax", "; Path=/"));
    }
  }

  @Test
  void aNameIsStoredAndTheSocketOnThatCookieSendsAsThatUser() {
    String anonymous = cookie(new HttpCommunicator(app, "GET", "/chat/").getResponse(WAIT));
    HttpCommunicator.Response set = postName("Zoë 李", ORIGIN, anonymous);
    assertThat(set.status()).isEqualTo(303);
    assertThat(set.header("location")).contains("/chat/");
    String named = cookie(set);
    assertThat(named).isNotEqualTo(anonymous);
    HttpCommunicator.Response index = new HttpCommunicator(app, "GET", "/chat/", new byte[0],
        List.of(Header.of("cookie", named))).getResponse(WAIT);
    assertThat(index.bodyText()).contains("<script id=\"display-name\" type=\"application/json\">\"Zoë 李\"</script>");

    WebsocketCommunicator zoe = join(named);
    WebsocketCommunicator nobody = join(null);
    zoe.sendJsonTo(Map.of("message", "hi"));
    assertThat(nobody.receiveFrom(WAIT)).isEqualTo("{\"message\":\"hi\",\"user\":\"Zoë 李\"}");
    assertThat(zoe.receiveFrom(WAIT)).isEqualTo("{\"message\":\"hi\",\"user\":\"Zoë 李\"}");
    nobody.sendJsonTo(Map.of("message", "anon"));
    assertThat(zoe.receiveFrom(WAIT)).isEqualTo("{\"message\":\"anon\"}");
    assertThat(nobody.receiveFrom(WAIT)).isEqualTo("{\"message\":\"anon\"}");
  }

  @Test
  void badNamesGet400WithTheReason() {
    assertThat(postName("", ORIGIN, null).bodyText()).contains("1 to 32 characters, got 0");
    HttpCommunicator.Response tooLong = postName("名".repeat(33), ORIGIN, null);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.bodyText()).isEqualTo("Bad Request: a name must be 1 to 32 characters, got 33\n");
    assertThat(postName("😀".repeat(32), ORIGIN, null).status()).isEqualTo(303);
    assertThat(postName("a\u202eb", ORIGIN, null).bodyText()).contains("invisible formatting");
    HttpCommunicator.Response noField = new HttpCommunicator(app, "POST", "/chat/name/",
        "nick=x".getBytes(StandardCharsets.UTF_8), List.of()).getResponse(WAIT);
    assertThat(noField.status()).isEqualTo(400);
    assertThat(noField.bodyText()).contains("no 'name' field");
  }

  @Test
  void aPostFromAnotherSiteGets403AndGetShowsTheRoomCalledName() {
    HttpCommunicator.Response evil = postName("mallory", "https://evil.example", null);
    assertThat(evil.status()).isEqualTo(403);
    assertThat(evil.bodyText()).contains("Origin 'https://evil.example' is not an allowed host");
    HttpCommunicator.Response room = new HttpCommunicator(app, "GET", "/chat/name/").getResponse(WAIT);
    assertThat(room.status()).isEqualTo(200);
    assertThat(room.bodyText()).contains("<script id=\"room-name\" type=\"application/json\">\"name\"</script>");
  }

  @Test
  void aForgedSessionCookieIsAnonymousNeverAnErrorPage() {
    String named = cookie(postName("Zoë", ORIGIN, null));
    String forged = named.substring(0, named.length() - 4) + "AAAA";
    HttpCommunicator.Response page = new HttpCommunicator(app, "GET", "/chat/", new byte[0],
        List.of(Header.of("cookie", forged))).getResponse(WAIT);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.bodyText()).contains(">\"\"</script>");
    WebsocketCommunicator ws = join(forged);
    ws.sendJsonTo(Map.of("message", "who am i"));
    assertThat(ws.receiveFrom(WAIT)).isEqualTo("{\"message\":\"who am i\"}");
  }

  @Test
  void theRateLimitClosesAFloodingSocketWith1008() {
    app = ChatApplication.create(ChatOptions.LOCAL_HOSTS, new ChatApplication.Identity(
        new InMemorySessionStore(), List.of("k"), 2, 0));
    WebsocketCommunicator ws = join(null);
    for (int i = 0; i < 20; i++) {
      ws.sendJsonTo(Map.of("message", "m" + i));
    }
    String next;
    do {
      next = ws.receiveOutput(WAIT).type();
    } while (next.equals("websocket.send"));
    assertThat(next).isEqualTo("websocket.close");
  }

  @Test
  void thePerAddressLimitRefusesPages429AndSockets403() {
    Application limited = ChatApplication.create(ChatOptions.LOCAL_HOSTS, new ChatApplication.Identity(
        new InMemorySessionStore(), List.of("k"), 0, 1));
    InetSocketAddress client = new InetSocketAddress("192.0.2.44", 5000);
    app = (scope, receive, send) -> limited.handle(scope.with("client", client), receive, send);
    join(null);
    assertThat(new HttpCommunicator(app, "GET", "/chat/").getResponse(WAIT).status()).isEqualTo(429);
    WebsocketCommunicator second = new WebsocketCommunicator(app, "/ws/chat/lobby/",
        List.of(Header.of("origin", ORIGIN)), List.of());
    assertThat(second.connect(WAIT).accepted()).isFalse();
  }
}
