package io.channels4j.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Scope;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.testing.HttpCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link AuthMiddleware}'s resolvers, bearer tokens in their three places, and misuse. */
class AuthMiddlewareTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private final Application app = AuthTestApp.create(
      SessionMiddleware.builder(new InMemorySessionStore(), SessionStoreContract.SECRETS));

  private String who(String path, List<Header> headers, List<String> subprotocols, Optional<String> expectAccepted) {
    WebsocketCommunicator ws = new WebsocketCommunicator(app, path, headers, subprotocols);
    WebsocketCommunicator.Connection c = ws.connect(WAIT);
    assertThat(c.accepted()).isTrue();
    assertThat(c.subprotocol()).isEqualTo(expectAccepted);
    ws.sendTo("who");
    String answer = ws.receiveFrom(WAIT);
    ws.disconnect();
    return answer;
  }

  @Test
  void nobodyIsAnonymous() {
    assertThat(who("/ws/", List.of(), List.of(), Optional.empty())).isEqualTo("note=;user=anonymous");
    assertThat(User.anonymous().isAuthenticated()).isFalse();
    assertThat(User.anonymous().id()).isEmpty();
  }

  @Test
  void aBearerTokenInTheAuthorizationHeader() {
    assertThat(who("/ws/", List.of(Header.of("authorization", "Bearer token-11")), List.of(), Optional.empty()))
        .isEqualTo("note=;user=user11");
    HttpCommunicator http = new HttpCommunicator(app, "GET", "/get/", new byte[0],
        List.of(Header.of("authorization", "bearer token-12")));
    assertThat(http.getResponse(WAIT).bodyText()).isEqualTo("note=;user=user12");
  }

  @Test
  void aBearerTokenInTheQueryString() {
    assertThat(who("/ws/?access_token=token-13", List.of(), List.of(), Optional.empty()))
        .isEqualTo("note=;user=user13");
  }

  @Test
  void aBearerTokenAsSubprotocolIsHiddenFromTheAppAndTheAcceptNamesTheMarker() {
    List<List<String>> seen = new java.util.ArrayList<>();
    Application seesSubprotocols = AuthMiddlewareStack.of((scope, receive, send) -> {
      seen.add(scope.subprotocols());
      return AsyncConsumer.asApplication(AuthTestApp.Socket::new).handle(scope, receive, send);
    }, new InMemorySessionStore(), SessionStoreContract.SECRETS, AuthTestApp.USERS);
    WebsocketCommunicator ws = new WebsocketCommunicator(seesSubprotocols, "/ws/", List.of(),
        List.of("chat.v1", "access_token", "token-14"));
    WebsocketCommunicator.Connection c = ws.connect(WAIT);
    assertThat(c.accepted()).isTrue();
    assertThat(c.subprotocol()).contains("access_token");
    ws.sendTo("who");
    assertThat(ws.receiveFrom(WAIT)).isEqualTo("note=;user=user14");
    ws.disconnect();
    assertThat(seen).containsExactly(List.of("chat.v1", "access_token"));
  }

  @Test
  void anUnknownTokenIsAnonymousAndTheSessionUserWinsOverIt() {
    assertThat(who("/ws/?access_token=token-nobody", List.of(), List.of(), Optional.empty()))
        .isEqualTo("note=;user=anonymous");
    String cookie = SessionStoreContract.sessionCookie(SessionStoreContract.get(app, "/login/?20", null));
    assertThat(who("/ws/?access_token=token-21", List.of(Header.of("cookie", cookie)), List.of(), Optional.empty()))
        .isEqualTo("note=;user=user20");
  }

  @Test
  void misuseFailsWithAMessageThatSaysWhatIsMissing() {
    Scope bare = Scope.builder("websocket").build();
    assertThatThrownBy(() -> AuthMiddleware.user(bare)).hasMessageContaining("wrap the application in AuthMiddleware");
    assertThatThrownBy(() -> SessionMiddleware.session(bare)).hasMessageContaining("wrap the application in SessionMiddleware");
    assertThatThrownBy(() -> AuthMiddleware.login(bare, User.of("1", "a"))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> AuthMiddleware.login(bare, User.anonymous())).hasMessageContaining("anonymous");
    assertThatThrownBy(() -> SessionMiddleware.builder(new InMemorySessionStore(), List.of()))
        .hasMessageContaining("at least one secret");
    assertThatThrownBy(() -> SessionMiddleware.builder(new InMemorySessionStore(), List.of(" ")))
        .hasMessageContaining("blank");
  }

  @Test
  void aResolverFailureFailsTheConnection() {
    Application failing = new AuthMiddleware((scope, receive, send) -> Application.done(),
        scope -> CompletableFuture.failedFuture(new IllegalStateException("user database down")));
    WebsocketCommunicator ws = new WebsocketCommunicator(failing, "/ws/");
    assertThatThrownBy(() -> {
      ws.connect(WAIT);
      ws.await(WAIT);
    }).hasStackTraceContaining("user database down");
  }

  @Test
  void aStoreFailureWhileLoadingFailsTheConnection() {
    SessionStore down = new SessionStore() {
      @Override
      public java.util.concurrent.CompletionStage<Optional<java.util.Map<String, Object>>> load(String key, Duration maxAge) {
        return CompletableFuture.failedFuture(new IllegalStateException("session store down"));
      }

      @Override
      public java.util.concurrent.CompletionStage<String> save(String key, java.util.Map<String, Object> data, Duration maxAge) {
        return CompletableFuture.failedFuture(new IllegalStateException("session store down"));
      }

      @Override
      public java.util.concurrent.CompletionStage<Void> delete(String key) {
        return CompletableFuture.completedFuture(null);
      }
    };
    Application good = AuthTestApp.create(SessionMiddleware.builder(new InMemorySessionStore(), SessionStoreContract.SECRETS));
    String cookie = SessionStoreContract.sessionCookie(SessionStoreContract.get(good, "/set/?x", null));
    Application failing = AuthTestApp.create(SessionMiddleware.builder(down, SessionStoreContract.SECRETS));
    HttpCommunicator http = new HttpCommunicator(failing, "GET", "/get/", new byte[0], List.of(Header.of("cookie", cookie)));
    assertThatThrownBy(() -> {
      http.sendRequest();
      http.await(WAIT);
    }).hasStackTraceContaining("session store down");
  }

  @Test
  void sessionValuesMustBeJson() {
    Session s = new Session(new InMemorySessionStore(), Duration.ofMinutes(1), null, java.util.Map.of(), false);
    assertThatThrownBy(() -> s.put("when", java.time.Instant.EPOCH)).hasMessageContaining("session value 'when' must be JSON");
    s.put("ok", List.of(1, "a", java.util.Map.of("k", false)));
    assertThat(s.isModified()).isTrue();
    assertThat(s.toString()).isEqualTo("Session[ok] (modified)");
  }
}
