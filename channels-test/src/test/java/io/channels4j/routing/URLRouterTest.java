package io.channels4j.routing;

import static io.channels4j.routing.Routes.path;
import static io.channels4j.routing.Routes.rePath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.LogLines;
import io.channels4j.Scope;
import io.channels4j.UrlRoute;
import io.channels4j.consumer.AsyncHttpConsumer;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.consumer.WebsocketConsumer;
import io.channels4j.middleware.BaseMiddleware;
import io.channels4j.testing.ApplicationCommunicator;
import io.channels4j.testing.HttpCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** URLRouter, path() and rePath() as users write them, driven by the communicators. */
class URLRouterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A consumer with only the implicit no-arg constructor, as most users write them. */
  public static class ChatConsumer extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      return accept().thenCompose(v -> send("room " + scope().urlRoute().kwarg("room_name").orElse("?")));
    }
  }

  /** A blocking (sync) consumer, routed the same way. */
  public static class SyncChatConsumer extends WebsocketConsumer {
    @Override
    public void connect() {
      accept();
      send("sync room " + scope().urlRoute().kwarg("room_name").orElse("?"));
    }
  }

  /** An HTTP consumer answering 200 with what routing captured, as JSON. */
  public static class RouteEchoHttp extends AsyncHttpConsumer {
    @Override
    public CompletionStage<Void> handle(byte[] body) {
      try {
        byte[] json = JSON.writeValueAsBytes(RouteEchoConsumer.describe("http", scope()));
        return sendResponse(200, json, List.of(Header.of("content-type", "application/json")));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Connects, expects acceptance, returns what {@link RouteEchoConsumer} reports, disconnects. */
  private static JsonNode routed(Application app, String path) {
    WebsocketCommunicator ws = new WebsocketCommunicator(app, path);
    assertThat(ws.connect().accepted()).as("connection to %s accepted", path).isTrue();
    JsonNode reply = ws.receiveJsonFrom();
    ws.disconnect();
    return reply;
  }

  /** Connects and expects the handshake to be rejected, with the router finishing cleanly. */
  private static void assertRejected(Application app, String path) {
    WebsocketCommunicator ws = new WebsocketCommunicator(app, path);
    WebsocketCommunicator.Connection c = ws.connect();
    assertThat(c.accepted()).as("connection to %s accepted", path).isFalse();
    assertThat(c.closeCode()).isEqualTo(1000);
    ws.await();
  }

  // --- converters ---------------------------------------------------------------------------------

  @Test
  void strConverterCapturesOneSegment() {
    Application app = URLRouter.of(path("ws/chat/<str:room_name>/", RouteEchoConsumer::new));

    JsonNode r = routed(app, "/ws/chat/lobby/");
    assertThat(r.get("kwargs").get("room_name").asText()).isEqualTo("lobby");
    assertThat(r.get("types").get("room_name").asText()).isEqualTo("String");
    assertThat(r.get("args").size()).isZero();
    assertThat(r.get("path_remaining").asText()).isEmpty();

    assertRejected(app, "/ws/chat/lob/by/");
    assertRejected(app, "/ws/chat//");
    assertRejected(app, "/ws/chat/lobby");
    assertRejected(app, "/ws/chat/lobby/x");
  }

  @Test
  void parameterWithoutConverterIsStr() {
    Application app = URLRouter.of(path("ws/<room>/", RouteEchoConsumer::new));
    assertThat(routed(app, "/ws/a.b~c/").get("kwargs").get("room").asText()).isEqualTo("a.b~c");
  }

  @Test
  void intConverterGivesAnIntegerAndRejectsOtherText() {
    Application app =
        URLRouter.of(
            path("items/<int:id>/", () -> new RouteEchoConsumer("int")),
            path("items/<str:name>/", () -> new RouteEchoConsumer("str")));

    JsonNode r = routed(app, "/items/42/");
    assertThat(r.get("label").asText()).isEqualTo("int");
    assertThat(r.get("kwargs").get("id").isInt()).isTrue();
    assertThat(r.get("kwargs").get("id").asInt()).isEqualTo(42);
    assertThat(r.get("types").get("id").asText()).isEqualTo("Integer");
    assertThat(routed(app, "/items/007/").get("kwargs").get("id").asInt()).isEqualTo(7);

    // Not digits, or too large for an Integer: the int route does not match, the next one does.
    assertThat(routed(app, "/items/-1/").get("label").asText()).isEqualTo("str");
    assertThat(routed(app, "/items/4x/").get("label").asText()).isEqualTo("str");
    assertThat(routed(app, "/items/99999999999/").get("label").asText()).isEqualTo("str");
    assertThat(routed(app, "/items/٣/").get("label").asText()).as("non-ASCII digit").isEqualTo("str");
  }

  @Test
  void slugConverterAllowsLettersDigitsHyphensUnderscores() {
    Application app = URLRouter.of(path("blog/<slug:post>/", RouteEchoConsumer::new));
    assertThat(routed(app, "/blog/Hello-world_2/").get("kwargs").get("post").asText()).isEqualTo("Hello-world_2");
    assertRejected(app, "/blog/hello.world/");
    assertRejected(app, "/blog/héllo/");
    assertRejected(app, "/blog/hello world/");
  }

  @Test
  void uuidConverterGivesAUuidForTheLowerCaseForm() {
    Application app = URLRouter.of(path("obj/<uuid:id>/", RouteEchoConsumer::new));
    UUID id = UUID.randomUUID();
    JsonNode r = routed(app, "/obj/" + id + "/");
    assertThat(r.get("kwargs").get("id").asText()).isEqualTo(id.toString());
    assertThat(r.get("types").get("id").asText()).isEqualTo("UUID");

    assertRejected(app, "/obj/" + id.toString().toUpperCase() + "/");
    assertRejected(app, "/obj/" + id.toString().replace("-", "") + "/");
    assertRejected(app, "/obj/" + id + "0/");
  }

  @Test
  void pathConverterTakesTheRestIncludingSlashes() {
    Application app = URLRouter.of(path("files/<path:name>", RouteEchoConsumer::new));
    assertThat(routed(app, "/files/a/b/c.txt").get("kwargs").get("name").asText()).isEqualTo("a/b/c.txt");
    assertRejected(app, "/files/");
    // As in Python, '.' excludes only '\n': other line terminators are ordinary characters.
    assertThat(routed(app, "/files/a\u2028b\rc\u0085").get("kwargs").get("name").asText())
        .isEqualTo("a\u2028b\rc\u0085");
  }

  @Test
  void customConverterIsUsedAndItsRejectionFallsThrough() {
    Routes.registerConverter("year4", PathConverter.of("[0-9]{4}", Integer::valueOf));
    Routes.registerConverter(
        "even",
        PathConverter.of(
            "[0-9]+",
            s -> {
              int n = Integer.parseInt(s);
              if (n % 2 != 0) {
                throw new IllegalArgumentException("odd: " + n);
              }
              return n;
            }));
    Application app =
        URLRouter.of(
            path("archive/<year4:year>/", () -> new RouteEchoConsumer("year")),
            path("n/<even:n>/", () -> new RouteEchoConsumer("even")),
            path("n/<int:n>/", () -> new RouteEchoConsumer("odd")));

    JsonNode r = routed(app, "/archive/2024/");
    assertThat(r.get("kwargs").get("year").asInt()).isEqualTo(2024);
    assertThat(r.get("types").get("year").asText()).isEqualTo("Integer");
    assertRejected(app, "/archive/24/");
    assertThat(routed(app, "/n/4/").get("label").asText()).isEqualTo("even");
    assertThat(routed(app, "/n/5/").get("label").asText()).isEqualTo("odd");
  }

  @Test
  void convertersCannotBeReplaced() {
    PathConverter<String> c = PathConverter.of("[a-z]+", s -> s);
    Routes.registerConverter("lower-only", c);
    Routes.registerConverter("lower-only", c); // the same instance again is harmless

    assertThatThrownBy(() -> Routes.registerConverter("lower-only", PathConverter.of("[a-z]+", s -> s)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'lower-only' is already registered");
    assertThatThrownBy(() -> Routes.registerConverter("int", PathConverter.of("[0-9]+", Long::valueOf)))
        .hasMessageContaining("'int' is already registered");
    assertThatThrownBy(() -> Routes.registerConverter("bad regex", c)).hasMessageContaining("'bad regex'");
    assertThatThrownBy(() -> Routes.registerConverter("broken", PathConverter.of("[0-9", s -> s)))
        .hasMessageContaining("converter 'broken' has an invalid regex '[0-9'");
  }

  // --- Unicode and percent-encoding ------------------------------------------------------------------

  @Test
  void unicodePathsRouteAfterPercentDecoding() {
    Application app =
        URLRouter.of(
            path("ws/chat/<str:room_name>/", RouteEchoConsumer::new),
            rePath("^ws/re/(?P<room>\\w+)/$", RouteEchoConsumer::new));

    assertThat(routed(app, "/ws/chat/聊天室/").get("kwargs").get("room_name").asText()).isEqualTo("聊天室");
    // What a browser sends on the wire: the communicator (like a server) percent-decodes the path.
    assertThat(routed(app, "/ws/chat/%E8%81%8A%E5%A4%A9%E5%AE%A4/").get("kwargs").get("room_name").asText())
        .isEqualTo("聊天室");
    assertThat(routed(app, "/ws/chat/caf%C3%A9%20cr%C3%A8me/").get("kwargs").get("room_name").asText())
        .isEqualTo("café crème");
    // \w is Unicode-aware, as in Python 3.
    assertThat(routed(app, "/ws/re/Ωμέγα_1/").get("kwargs").get("room").asText()).isEqualTo("Ωμέγα_1");
  }

  // --- rePath --------------------------------------------------------------------------------------

  @Test
  void rePathNamedGroupsBecomeKwargsAndUnnamedOnesAreIgnored() {
    Application app = URLRouter.of(rePath("^ws/(\\w+)/(?P<room_name>\\w+)/$", RouteEchoConsumer::new));
    JsonNode r = routed(app, "/ws/chat/lobby/");
    assertThat(r.get("kwargs").get("room_name").asText()).isEqualTo("lobby");
    assertThat(r.get("kwargs").size()).isEqualTo(1);
    assertThat(r.get("args").size()).isZero();
  }

  @Test
  void rePathUnnamedGroupsBecomeArgsWhenThereAreNoNamedOnes() {
    Application app = URLRouter.of(rePath("^ws/(\\w+)/([0-9]+)/$", RouteEchoConsumer::new));
    JsonNode r = routed(app, "/ws/chat/15/");
    assertThat(r.get("args")).extracting(JsonNode::asText).containsExactly("chat", "15");
    assertThat(r.get("argTypes")).extracting(JsonNode::asText).containsExactly("String", "String");
    assertThat(r.get("kwargs").size()).isZero();
  }

  @Test
  void rePathDropsGroupsThatDidNotParticipate() {
    Application app =
        URLRouter.of(
            rePath("^page/(?:(?P<num>[0-9]+)/)?$", () -> new RouteEchoConsumer("named")),
            rePath("^list/(?:([0-9]+)/)?$", () -> new RouteEchoConsumer("unnamed")));
    assertThat(routed(app, "/page/").get("kwargs").size()).isZero();
    assertThat(routed(app, "/page/3/").get("kwargs").get("num").asText()).isEqualTo("3");
    assertThat(routed(app, "/list/").get("args").size()).isZero();
    assertThat(routed(app, "/list/8/").get("args")).extracting(JsonNode::asText).containsExactly("8");
  }

  @Test
  void rePathEndingInDollarMustMatchTheWholePathOtherwiseItIsSearched() {
    Application app =
        URLRouter.of(
            rePath("^exact/$", () -> new RouteEchoConsumer("exact")),
            rePath("chat/(?P<room>[a-z]+)", () -> new RouteEchoConsumer("search")));
    assertThat(routed(app, "/exact/").get("label").asText()).isEqualTo("exact");

    // No '$': Django searches, so the match may start anywhere and leave a tail.
    JsonNode r = routed(app, "/exact/chat/lobby/more");
    assertThat(r.get("label").asText()).isEqualTo("search");
    assertThat(r.get("kwargs").get("room").asText()).isEqualTo("lobby");
    assertThat(r.get("path_remaining").asText()).isEqualTo("/more");
  }

  @Test
  void rePathAcceptsJavaGroupSyntaxBackReferencesAndPythonEndAnchor() {
    Application app =
        URLRouter.of(
            rePath("^java/(?<room_name>[a-z]+)/$", () -> new RouteEchoConsumer("java")),
            rePath("^twice/(?P<word>[a-z]+)-(?P=word)/$", () -> new RouteEchoConsumer("py-backref")),
            rePath("^jtwice/(?<w>[a-z]+)-\\k<w>/$", () -> new RouteEchoConsumer("java-backref")),
            rePath("^end/\\Z", () -> new RouteEchoConsumer("end")),
            rePath("^class/(?P<c>[(a-z)]+)/$", () -> new RouteEchoConsumer("class")));
    assertThat(routed(app, "/java/lobby/").get("kwargs").get("room_name").asText()).isEqualTo("lobby");
    assertThat(routed(app, "/twice/ab-ab/").get("label").asText()).isEqualTo("py-backref");
    assertRejected(app, "/twice/ab-cd/");
    assertThat(routed(app, "/jtwice/ab-ab/").get("label").asText()).isEqualTo("java-backref");
    assertThat(routed(app, "/end/").get("label").asText()).isEqualTo("end");
    assertRejected(app, "/end/x");
    assertThat(routed(app, "/class/(ab)/").get("kwargs").get("c").asText()).isEqualTo("(ab)");
  }

  // --- nesting and accumulation ----------------------------------------------------------------------

  @Test
  void nestedRoutersMatchPrefixesAndAccumulateKwargs() {
    Application app =
        URLRouter.of(
            path(
                "ws/<slug:tenant>/",
                URLRouter.of(
                    path("room/<int:id>/", () -> new RouteEchoConsumer("room")),
                    rePath("^feed/(?P<kind>[a-z]+)/$", () -> new RouteEchoConsumer("feed")),
                    path("deep/", URLRouter.of(path("<str:leaf>/", () -> new RouteEchoConsumer("deep")))))));

    JsonNode r = routed(app, "/ws/acme/room/7/");
    assertThat(r.get("label").asText()).isEqualTo("room");
    assertThat(r.get("kwargs").get("tenant").asText()).isEqualTo("acme");
    assertThat(r.get("kwargs").get("id").asInt()).isEqualTo(7);
    assertThat(r.get("path_remaining").asText()).isEmpty();

    r = routed(app, "/ws/acme/feed/news/");
    assertThat(r.get("kwargs").get("tenant").asText()).isEqualTo("acme");
    assertThat(r.get("kwargs").get("kind").asText()).isEqualTo("news");

    r = routed(app, "/ws/acme/deep/x/");
    assertThat(r.get("label").asText()).isEqualTo("deep");
    assertThat(r.get("kwargs").get("tenant").asText()).isEqualTo("acme");
    assertThat(r.get("kwargs").get("leaf").asText()).isEqualTo("x");

    assertRejected(app, "/ws/acme/");
    assertRejected(app, "/ws/acme/room/x/");
    assertRejected(app, "/ws/acme/room/7/extra/");
  }

  @Test
  void nestedArgsAccumulateInOrderAndInnerKwargsWin() {
    Application app =
        URLRouter.of(
            rePath("^a/([0-9]+)/", URLRouter.of(rePath("^b/([0-9]+)/$", RouteEchoConsumer::new))),
            path(
                "k/<str:name>/",
                URLRouter.of(path("<str:name>/", RouteEchoConsumer::new, Map.of("from", "inner"))),
                Map.of("from", "outer", "outer_only", true)));

    assertThat(routed(app, "/a/1/b/2/").get("args")).extracting(JsonNode::asText).containsExactly("1", "2");

    JsonNode r = routed(app, "/k/outer-name/inner-name/");
    assertThat(r.get("kwargs").get("name").asText()).isEqualTo("inner-name");
    assertThat(r.get("kwargs").get("from").asText()).isEqualTo("inner");
    assertThat(r.get("kwargs").get("outer_only").asBoolean()).isTrue();
  }

  @Test
  void whenANestedRouterFindsNothingTheOuterRouterTriesItsNextRoute() {
    Application app =
        URLRouter.of(
            path("ws/", URLRouter.of(path("chat/", () -> new RouteEchoConsumer("nested-chat")))),
            path("ws/<str:other>/", () -> new RouteEchoConsumer("fallback")));
    assertThat(routed(app, "/ws/chat/").get("label").asText()).isEqualTo("nested-chat");
    JsonNode r = routed(app, "/ws/news/");
    assertThat(r.get("label").asText()).isEqualTo("fallback");
    assertThat(r.get("kwargs").get("other").asText()).isEqualTo("news");
  }

  /** Puts a tenant into the scope, as an auth or session middleware would put a user. */
  static final class TenantMiddleware extends BaseMiddleware {
    TenantMiddleware(Application inner) {
      super(inner);
    }

    @Override
    protected Scope enrichScope(Scope scope) {
      return scope.with("tenant", "acme");
    }
  }

  @Test
  void aNestedRouterWrappedInMiddlewareIsStillAPrefixMatch() {
    Application app =
        URLRouter.of(
            path(
                "ws/<slug:site>/",
                new TenantMiddleware(
                    URLRouter.of(path("chat/<str:room>/", () -> new RouteEchoConsumer("behind-middleware"))))),
            path("ws/<slug:site>/<str:other>/", () -> new RouteEchoConsumer("fallback")));

    JsonNode r = routed(app, "/ws/main/chat/lobby/");
    assertThat(r.get("label").asText()).isEqualTo("behind-middleware");
    assertThat(r.get("tenant").asText()).as("the middleware ran").isEqualTo("acme");
    assertThat(r.get("kwargs").get("site").asText()).isEqualTo("main");
    assertThat(r.get("kwargs").get("room").asText()).isEqualTo("lobby");
    assertThat(r.get("path_remaining").asText()).isEmpty();

    // The nested router has no route for "news/": the outer router goes on, the middleware never runs.
    r = routed(app, "/ws/main/news/");
    assertThat(r.get("label").asText()).isEqualTo("fallback");
    assertThat(r.get("tenant").isNull()).isTrue();
  }

  @Test
  void routesAreTriedInOrderAndLeadingSlashesAreIgnored() {
    Application app =
        URLRouter.of(
            path("ws/<str:x>/", () -> new RouteEchoConsumer("first")),
            path("ws/fixed/", () -> new RouteEchoConsumer("second")));
    assertThat(routed(app, "/ws/fixed/").get("label").asText()).isEqualTo("first");
    assertThat(routed(app, "//ws/fixed/").get("label").asText()).isEqualTo("first");
  }

  @Test
  void defaultKwargsAreMergedAndWinOverCapturedValues() {
    Application app =
        URLRouter.of(
            path("ro/<str:room>/", RouteEchoConsumer::new, Map.of("mode", "readonly", "limit", 10)),
            rePath("^over/(?P<mode>[a-z]+)/$", RouteEchoConsumer::new, Map.of("mode", "forced")));
    JsonNode r = routed(app, "/ro/lobby/");
    assertThat(r.get("kwargs").get("room").asText()).isEqualTo("lobby");
    assertThat(r.get("kwargs").get("mode").asText()).isEqualTo("readonly");
    assertThat(r.get("kwargs").get("limit").asInt()).isEqualTo(10);
    assertThat(routed(app, "/over/edit/").get("kwargs").get("mode").asText()).isEqualTo("forced");
  }

  @Test
  void anExistingUrlRouteInTheScopeIsExtended() {
    Application app = URLRouter.of(rePath("^x/([a-z]+)/$", RouteEchoConsumer::new, Map.of("k2", "v2")));
    Scope scope =
        Scope.builder(Scope.WEBSOCKET)
            .path("/x/abc/")
            .set("url_route", new UrlRoute(List.of("pre"), Map.of("k1", "v1")))
            .build();
    WebsocketCommunicator ws = new WebsocketCommunicator(app, scope);
    assertThat(ws.connect().accepted()).isTrue();
    JsonNode r = ws.receiveJsonFrom();
    assertThat(r.get("args")).extracting(JsonNode::asText).containsExactly("pre", "abc");
    assertThat(r.get("kwargs").get("k1").asText()).isEqualTo("v1");
    assertThat(r.get("kwargs").get("k2").asText()).isEqualTo("v2");
    ws.disconnect();
  }

  // --- root_path ----------------------------------------------------------------------------------

  @Test
  void theOutermostRouterStripsRootPath() {
    Application app =
        URLRouter.of(path("ws/", URLRouter.of(path("chat/<str:room_name>/", RouteEchoConsumer::new))));

    WebsocketCommunicator ws = new WebsocketCommunicator(app, websocketScope("/prefix/ws/chat/lobby/", "/prefix"));
    assertThat(ws.connect().accepted()).isTrue();
    assertThat(ws.receiveJsonFrom().get("kwargs").get("room_name").asText()).isEqualTo("lobby");
    ws.disconnect();

    WebsocketCommunicator outside = new WebsocketCommunicator(app, websocketScope("/ws/chat/lobby/", "/prefix"));
    assertThat(outside.connect().accepted()).as("path outside root_path").isFalse();
    outside.await();
  }

  private static Scope websocketScope(String path, String rootPath) {
    return Scope.builder(Scope.WEBSOCKET).path(path).rawPath(path).rootPath(rootPath).build();
  }

  // --- no route -------------------------------------------------------------------------------------

  @Test
  void noRouteRejectsTheWebsocketHandshake() {
    Application app = URLRouter.of(path("ws/chat/<str:room_name>/", ChatConsumer::new));
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/nowhere/");
    WebsocketCommunicator.Connection c = ws.connect();
    assertThat(c.accepted()).isFalse();
    assertThat(c.closeCode()).isEqualTo(1000);
    ws.await(); // the router ends normally: nothing for the server to log as a crash
    assertThat(ws.receiveNothing()).isTrue();
  }

  @Test
  void noRouteWarningEscapesAPathThatWouldForgeALogLine() {
    Application app = URLRouter.of(path("ws/chat/<str:room_name>/", ChatConsumer::new));
    // "%0a" decoded by the server: the path holds a line break and a fake log line after it
    List<String> log = LogLines.during(() -> {
      WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/x\n[main] ERROR forged - admin logged in");
      assertThat(ws.connect().accepted()).isFalse();
      ws.await();
    });
    assertThat(log).hasSize(1);
    assertThat(log.get(0)).contains("WARN", "No route found for path '/ws/x\\n[main] ERROR forged - admin logged in'");
  }

  @Test
  void noRouteAnswersHttp404() {
    Application app =
        URLRouter.of(path("api/<int:id>/", RouteEchoHttp::new));

    HttpCommunicator.Response ok = new HttpCommunicator(app, "GET", "/api/5/").getResponse();
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.bodyText()).contains("\"id\":5");

    HttpCommunicator http = new HttpCommunicator(app, "GET", "/api/nope/");
    HttpCommunicator.Response r = http.getResponse();
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("content-type")).contains("text/plain; charset=utf-8");
    assertThat(r.bodyText()).contains("No route found for path '/api/nope/'");
    http.await();
  }

  @Test
  void noRouteForAnotherScopeTypeFailsNamingThePath() {
    Application app = URLRouter.of(path("a/", RouteEchoConsumer::new));
    ApplicationCommunicator c = new ApplicationCommunicator(app, Scope.builder("custom").path("/b/").build());
    assertThatThrownBy(c::await)
        .hasCauseInstanceOf(NoRouteException.class)
        .cause()
        .hasMessage("No route found for path '/b/'.");
  }

  @Test
  void noPathKeyFails() {
    Application app = URLRouter.of(path("a/", RouteEchoConsumer::new));
    ApplicationCommunicator c = new ApplicationCommunicator(app, Scope.builder(Scope.CHANNEL).channel("c").build());
    assertThatThrownBy(c::await).cause().isInstanceOf(NoRouteException.class).hasMessageContaining("No 'path' key");
  }

  @Test
  void anApplicationThatThrowsFailsItsStageInsteadOfThrowingThroughTheRouter() {
    Application throwing =
        (scope, receive, send) -> {
          throw new IllegalStateException("boom");
        };
    Application app = URLRouter.of(path("x/", throwing));
    ApplicationCommunicator c = new ApplicationCommunicator(app, Scope.builder(Scope.HTTP).path("/x/").build());
    assertThatThrownBy(c::await).cause().isInstanceOf(IllegalStateException.class).hasMessage("boom");
  }

  // --- construction ---------------------------------------------------------------------------------

  @Test
  void badPatternsFailAtConstructionQuotingThePattern() {
    Application app = (scope, receive, send) -> Application.done();
    assertThatThrownBy(() -> path("ws/<nope:room>/", app))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("URL route 'ws/<nope:room>/' uses invalid converter 'nope'")
        .hasMessageContaining("[int, ");
    assertThatThrownBy(() -> path("ws/<str: room>/", app))
        .hasMessage("URL route 'ws/<str: room>/' cannot contain whitespace in angle brackets <...>");
    assertThatThrownBy(() -> path("ws/<str:room-name>/", app))
        .hasMessageContaining("URL route 'ws/<str:room-name>/' uses parameter name 'room-name'");
    assertThatThrownBy(() -> path("ws/<a>/<int:a>/", app))
        .hasMessageContaining("URL route 'ws/<a>/<int:a>/' uses parameter name 'a' twice");
    assertThatThrownBy(() -> path("/ws/chat/", app))
        .hasMessageContaining("URL route '/ws/chat/' starts with '/'")
        .hasMessageContaining("write 'ws/chat/'");
    assertThatThrownBy(() -> rePath("^ws/(?P<room>[a-z+/$", app))
        .hasMessageStartingWith("URL regex '^ws/(?P<room>[a-z+/$' is not a valid regular expression");
    assertThatThrownBy(() -> rePath("^(?P<a>x)(?P<a>y)$", app))
        .hasMessageContaining("redefinition of group name 'a'");
    assertThatThrownBy(() -> rePath("^(?P<a>x)(?P=b)$", app))
        .hasMessageContaining("back-reference to unknown group name 'b'");
    assertThatThrownBy(() -> rePath("^(?P<1a>x)$", app)).hasMessageContaining("bad group name '1a'");
    assertThatThrownBy(() -> path("ws/", app, java.util.Collections.singletonMap("k", null)))
        .hasMessageContaining("default kwargs of route 'ws/' must not contain null");
  }

  @Test
  void constructorReferencesLambdasAndApplicationsAllResolveToTheRightOverload() {
    // ChatConsumer has only its implicit no-arg constructor; RouteEchoConsumer has two constructors.
    Route exact = path("a/", ChatConsumer::new);
    Route inexact = path("b/", RouteEchoConsumer::new);
    Route supplier = rePath("^c/$", () -> new RouteEchoConsumer("c"));
    Route lambda = path("d/", (scope, receive, send) -> Application.done());
    Route withKwargs = path("e/", ChatConsumer::new, Map.of("k", 1));
    Route nested = path("f/", URLRouter.of(exact));

    assertThat(List.of(exact, inexact, supplier, lambda, withKwargs, nested))
        .extracting(Route::toString)
        .containsExactly("path('a/')", "path('b/')", "rePath('^c/$')", "path('d/')", "path('e/')", "path('f/')");
    assertThat(withKwargs.defaultKwargs()).containsEntry("k", 1);
    assertThat(nested.application()).isInstanceOf(URLRouter.class);

    Application app =
        URLRouter.of(path("ws/<str:room_name>/", ChatConsumer::new), path("sync/<str:room_name>/", SyncChatConsumer::new));
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/lobby/");
    assertThat(ws.connect().accepted()).isTrue();
    assertThat(ws.receiveFrom()).isEqualTo("room lobby");
    ws.disconnect();
    WebsocketCommunicator sync = new WebsocketCommunicator(app, "/sync/lobby/");
    assertThat(sync.connect().accepted()).isTrue();
    assertThat(sync.receiveFrom()).isEqualTo("sync room lobby");
    sync.disconnect();
  }

  @Test
  void emptyRouterRoutesNothing() {
    HttpCommunicator http = new HttpCommunicator(URLRouter.of(), "POST", "/x", "body".getBytes(StandardCharsets.UTF_8), List.of());
    assertThat(http.getResponse().status()).isEqualTo(404);
  }
}
