package io.channels4j.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.LogLines;
import io.channels4j.testing.HttpCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link SessionStore} must show, on its own and behind {@link AuthMiddlewareStack}
 * (communicator tests of every session and login path). Shipped in channels-auth's test-jar: extend it and
 * implement {@link #store()}.
 *
 * <p>A store whose keys carry their own signature (the signed-cookie store) cannot forget data on the
 * server; the cases about deletion and revocation assert that alternative instead of being skipped.
 */
public abstract class SessionStoreContract {

  /** The secrets the middleware signs with. */
  protected static final List<String> SECRETS = List.of("contract-secret-key-2026");
  static final Duration WAIT = Duration.ofSeconds(5);

  /** The store under test; may be shared by the cases of one class. */
  protected abstract SessionStore store();

  /**
   * The store as it would be configured with {@code secretKeys}: {@link #store()} itself for stores that
   * sign nothing; a store whose keys are signed overrides this to sign with the given keys.
   */
  protected SessionStore storeSignedWith(List<String> secretKeys) {
    return store();
  }

  /** The middleware builder the communicator cases use: {@link #store()} with {@link #SECRETS}. */
  protected SessionMiddleware.Builder sessions() {
    return SessionMiddleware.builder(store(), SECRETS);
  }

  static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError("store did not answer within " + WAIT, e);
    }
  }

  private static Map<String, Object> sample() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("_auth_user_id", "42");
    data.put("name", "Zoë 李 😀 \"quoted\"");
    data.put("count", 3);
    data.put("flag", true);
    data.put("nothing", null);
    data.put("list", List.of(1, "two", List.of()));
    data.put("map", Map.of("k", "v"));
    return data;
  }

  // ---- the store on its own ----

  @Test
  void savedDataLoadsBackAsJsonWouldGiveIt() {
    String key = join(store().save(null, sample(), Duration.ofMinutes(5)));
    assertThat(join(store().load(key, Duration.ofMinutes(5)))).contains(sample());
  }

  @Test
  void savingUnderAKeyReplacesTheData() {
    Duration age = Duration.ofMinutes(5);
    String key = join(store().save(null, Map.of("a", "1"), age));
    String again = join(store().save(key, Map.of("b", "2"), age));
    if (!store().keysAreSigned()) {
      assertThat(again).isEqualTo(key);
    }
    assertThat(join(store().load(again, age))).contains(Map.of("b", "2"));
  }

  @Test
  void unknownKeyLoadsNothing() {
    String unknown = SessionStore.randomKey();
    if (store().keysAreSigned()) {
      assertThatThrownBy(() -> join(store().load(unknown, Duration.ofMinutes(5))))
          .isInstanceOf(Signing.SignatureException.class);
    } else {
      assertThat(join(store().load(unknown, Duration.ofMinutes(5)))).isEmpty();
    }
  }

  @Test
  void deleteForgetsTheDataOnServerSideStores() {
    Duration age = Duration.ofMinutes(5);
    String key = join(store().save(null, Map.of("a", "1"), age));
    join(store().delete(key));
    // A cookie store keeps nothing to delete: the cookie still holds the data (the middleware expires it).
    Optional<Map<String, Object>> left = join(store().load(key, age));
    assertThat(left).isEqualTo(store().keysAreSigned() ? Optional.of(Map.of("a", "1")) : Optional.empty());
  }

  @Test
  void newKeysAreDistinctAndLong() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      keys.add(join(store().save(null, Map.of("i", i), Duration.ofMinutes(5))));
    }
    assertThat(keys).hasSize(20).allSatisfy(k -> assertThat(k.length()).isGreaterThanOrEqualTo(SessionKeys.LENGTH));
  }

  @Test
  void dataExpiresAfterMaxAge() {
    Duration age = Duration.ofSeconds(1);
    String key = join(store().save(null, Map.of("a", "1"), age));
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> expired(key, age));
  }

  private boolean expired(String key, Duration age) {
    try {
      return join(store().load(key, age)).isEmpty();
    } catch (Signing.SignatureException e) {
      return e.getMessage().startsWith("expired");
    }
  }

  // ---- behind AuthMiddlewareStack ----

  static HttpCommunicator.Response get(Application app, String pathAndQuery, String cookie) {
    List<Header> headers = cookie == null ? List.of() : List.of(Header.of("cookie", cookie));
    return new HttpCommunicator(app, "GET", pathAndQuery, new byte[0], headers).getResponse(WAIT);
  }

  /** The {@code sessionid=...} pair of the response's Set-Cookie, or null. */
  static String sessionCookie(HttpCommunicator.Response r) {
    for (Header h : r.headers()) {
      if (h.name().equals("set-cookie") && h.value().startsWith("sessionid=")) {
        return h.value().substring(0, h.value().indexOf(';'));
      }
    }
    return null;
  }

  static String setCookieHeader(HttpCommunicator.Response r) {
    return r.headers().stream().filter(h -> h.name().equals("set-cookie")).map(Header::value).findFirst().orElse(null);
  }

  static String ws(Application app, String cookie, String... texts) {
    List<Header> headers = cookie == null ? List.of() : List.of(Header.of("cookie", cookie));
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/", headers, List.of());
    try {
      assertThat(ws.connect(WAIT).accepted()).isTrue();
      String last = null;
      for (String t : texts) {
        ws.sendTo(t);
        last = ws.receiveFrom(WAIT);
      }
      return last;
    } finally {
      ws.disconnect(1000, WAIT);
    }
  }

  @Test
  void aChangedSessionIsSavedAndItsCookieSetWithSafeAttributes() {
    Application app = AuthTestApp.create(sessions());
    HttpCommunicator.Response set = get(app, "/set/?hello", null);
    assertThat(setCookieHeader(set))
        .startsWith("sessionid=")
        .contains("; Max-Age=1209600", "; Path=/", "; HttpOnly", "; SameSite=Lax")
        .doesNotContain("Secure");
    assertThat(get(app, "/get/", sessionCookie(set)).bodyText()).isEqualTo("note=hello;user=anonymous");
  }

  @Test
  void anUnchangedSessionSetsNoCookie() {
    Application app = AuthTestApp.create(sessions());
    HttpCommunicator.Response plain = get(app, "/plain/", null);
    assertThat(setCookieHeader(plain)).isNull();
    String cookie = sessionCookie(get(app, "/set/?x", null));
    assertThat(setCookieHeader(get(app, "/get/", cookie))).isNull();
  }

  @Test
  void theCookieIsSecureOverTls() {
    Application app = AuthTestApp.create(sessions());
    // HttpCommunicator has no scheme option: a wrapper makes the scope https.
    Application tls = (scope, receive, send) -> app.handle(scope.with("scheme", "https"), receive, send);
    HttpCommunicator.Response r = new HttpCommunicator(tls, "GET", "/set/?x", new byte[0], List.of()).getResponse(WAIT);
    assertThat(setCookieHeader(r)).contains("; Secure");
  }

  @Test
  void aForgedCookieIsNoSessionLoggedOnceWithoutItsValue() {
    Application app = AuthTestApp.create(sessions());
    String good = sessionCookie(get(app, "/login/?7", null));
    String value = good.substring("sessionid=".length());
    String forged = "sessionid=" + value.substring(0, value.length() - 2) + (value.endsWith("AA") ? "BB" : "AA");
    List<HttpCommunicator.Response> answer = new ArrayList<>();
    List<String> lines = LogLines.during(() -> answer.add(get(app, "/get/", forged)));
    assertThat(answer.get(0).status()).isEqualTo(200);
    assertThat(answer.get(0).bodyText()).isEqualTo("note=;user=anonymous");
    assertThat(lines.stream().filter(l -> l.contains("Ignored the 'sessionid' cookie"))).hasSize(1);
    assertThat(String.join("\n", lines)).doesNotContain(value.substring(0, 20)).doesNotContain(SECRETS.get(0));
    assertThat(ws(app, forged, "who")).isEqualTo("note=;user=anonymous");
  }

  @Test
  void aCookieSignedWithAnOldKeyWorksWhileThatKeyIsListedAndNotAfter() {
    List<String> oldKeys = List.of("the-old-key");
    List<String> rotatedKeys = List.of("the-new-key", "the-old-key");
    List<String> newKeys = List.of("the-new-key");
    String cookie = sessionCookie(get(
        AuthTestApp.create(SessionMiddleware.builder(storeSignedWith(oldKeys), oldKeys)), "/login/?5", null));
    Application rotated = AuthTestApp.create(SessionMiddleware.builder(storeSignedWith(rotatedKeys), rotatedKeys));
    assertThat(get(rotated, "/get/", cookie).bodyText()).isEqualTo("note=;user=user5");
    Application dropped = AuthTestApp.create(SessionMiddleware.builder(storeSignedWith(newKeys), newKeys));
    assertThat(get(dropped, "/get/", cookie).bodyText()).isEqualTo("note=;user=anonymous");
  }

  @Test
  void anExpiredCookieIsNoSession() {
    Application app = AuthTestApp.create(sessions().maxAge(Duration.ofSeconds(1)));
    String cookie = sessionCookie(get(app, "/login/?9", null));
    assertThat(get(app, "/get/", cookie).bodyText()).isEqualTo("note=;user=user9");
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200))
        .until(() -> get(app, "/get/", cookie).bodyText().equals("note=;user=anonymous"));
  }

  @Test
  void loginOverHttpIsSeenByTheWebsocketOnTheSameCookie() {
    Application app = AuthTestApp.create(sessions());
    String anonymous = sessionCookie(get(app, "/set/?before", null));
    HttpCommunicator.Response login = get(app, "/login/?3", anonymous);
    String cookie = sessionCookie(login);
    assertThat(cookie).isNotNull().isNotEqualTo(anonymous);
    assertThat(login.bodyText()).isEqualTo("note=before;user=user3");
    assertThat(ws(app, cookie, "who")).isEqualTo("note=before;user=user3");
    // Session fixation: the key planted before login is worthless after it (a cookie store cannot revoke).
    String expected = store().keysAreSigned() ? "note=before;user=anonymous" : "note=;user=anonymous";
    assertThat(get(app, "/get/", anonymous).bodyText()).isEqualTo(expected);
  }

  @Test
  void loggingInAsAnotherUserFlushesTheSession() {
    Application app = AuthTestApp.create(sessions());
    String first = sessionCookie(get(app, "/login/?1", null));
    String noted = sessionCookie(get(app, "/set/?secret-of-1", first));
    HttpCommunicator.Response second = get(app, "/login/?2", noted);
    assertThat(second.bodyText()).isEqualTo("note=;user=user2");
  }

  @Test
  void logoutEmptiesTheSessionAndExpiresTheCookie() {
    Application app = AuthTestApp.create(sessions());
    String cookie = sessionCookie(get(app, "/login/?4", null));
    HttpCommunicator.Response out = get(app, "/logout/", cookie);
    assertThat(out.bodyText()).isEqualTo("note=;user=anonymous");
    assertThat(setCookieHeader(out)).startsWith("sessionid=;").contains("Max-Age=0");
    if (!store().keysAreSigned()) {
      assertThat(get(app, "/get/", cookie).bodyText()).isEqualTo("note=;user=anonymous");
    }
  }

  @Test
  void aWebsocketLoginAndSaveReachLaterConnections() {
    Application app = AuthTestApp.create(sessions());
    String cookie = sessionCookie(get(app, "/set/?ws", null));
    assertThat(ws(app, cookie, "who", "note:changed")).isEqualTo("note=changed;user=anonymous");
    if (!store().keysAreSigned()) {
      // Server-side: the same cookie now carries the change. A cookie store's new value only reaches the
      // browser with a response, so there the old cookie keeps the old data.
      assertThat(get(app, "/get/", cookie).bodyText()).isEqualTo("note=changed;user=anonymous");
    }
    assertThat(ws(app, cookie, "login:8")).isEqualTo(
        store().keysAreSigned() ? "note=ws;user=user8" : "note=changed;user=user8");
  }

  @Test
  void aWebsocketSessionChangedBeforeAcceptGetsItsCookieOnTheAccept() {
    Application app = AuthTestApp.create(sessions());
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/?note=at-connect");
    assertThat(ws.connect(WAIT).accepted()).isTrue();
    String setCookie = ws.responseHeaders().stream().filter(h -> h.name().equals("set-cookie"))
        .map(Header::value).findFirst().orElseThrow();
    ws.disconnect(1000, WAIT);
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    assertThat(get(app, "/get/", cookie).bodyText()).isEqualTo("note=at-connect;user=anonymous");
  }
}
