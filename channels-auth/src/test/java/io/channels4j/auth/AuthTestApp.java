package io.channels4j.auth;

import static io.channels4j.routing.Routes.path;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.consumer.AsyncHttpConsumer;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.routing.ProtocolTypeRouter;
import io.channels4j.routing.URLRouter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A small application behind {@link AuthMiddlewareStack}, for the session and auth tests. Pages: {@code
 * /set/?v} stores {@code v} under {@code note}; {@code /get/} answers {@code note=..;user=..}; {@code
 * /login/?id} logs user {@code id} in; {@code /logout/}; {@code /plain/} leaves the session alone. Socket
 * {@code /ws/}: {@code who} answers {@code note=..;user=..}, {@code login:<id>} logs in and saves, {@code
 * note:<v>} stores and saves; {@code ?note=<v>} is stored before accept.
 */
public final class AuthTestApp {

  /** Users: any id is a user named {@code user<id>}; id {@code nobody} is unknown. */
  public static final UserResolver USERS = UserResolver.fromSession(AuthTestApp::byId)
      .or(UserResolver.bearerToken(token -> byId(token.startsWith("token-") ? token.substring(6) : "nobody")));

  private AuthTestApp() {}

  static CompletionStage<Optional<User>> byId(String id) {
    return CompletableFuture.completedFuture(
        id.equals("nobody") ? Optional.empty() : Optional.of(User.of(id, "user" + id)));
  }

  /** The application, sessions configured by {@code sessions}. */
  public static Application create(SessionMiddleware.Builder sessions) {
    return AuthMiddlewareStack.of(
        ProtocolTypeRouter.builder()
            .http(URLRouter.of(List.of(path("<str:action>/", Page::new))))
            .websocket(URLRouter.of(List.of(path("ws/", Socket::new))))
            .build(),
        sessions, USERS);
  }

  static String describe(io.channels4j.Scope scope) {
    Session s = SessionMiddleware.session(scope);
    User u = AuthMiddleware.user(scope);
    return "note=" + s.getString("note").orElse("") + ";user=" + (u.isAuthenticated() ? u.username() : "anonymous");
  }

  /** The pages. */
  static final class Page extends AsyncHttpConsumer {
    @Override
    public CompletionStage<Void> handle(byte[] body) {
      String arg = URLDecoder.decode(scope().queryString(), StandardCharsets.UTF_8);
      switch (scope().urlRoute().kwarg("action").orElseThrow()) {
        case "set" -> SessionMiddleware.session(scope()).put("note", arg);
        case "login" -> AuthMiddleware.login(scope(), User.of(arg, "user" + arg));
        case "logout" -> AuthMiddleware.logout(scope());
        case "get", "plain" -> { }
        default -> {
          return sendResponse(404, new byte[0], List.of());
        }
      }
      return sendResponse(200, describe(scope()).getBytes(StandardCharsets.UTF_8),
          List.of(Header.of("content-type", "text/plain; charset=utf-8")));
    }
  }

  /** The socket. */
  static final class Socket extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      if (scope().queryString().startsWith("note=")) {
        SessionMiddleware.session(scope()).put("note", scope().queryString().substring(5));
      }
      return accept();
    }

    @Override
    public CompletionStage<Void> receive(String text, byte[] bytes) {
      if (text.startsWith("login:")) {
        AuthMiddleware.login(scope(), User.of(text.substring(6), "user" + text.substring(6)));
        return SessionMiddleware.session(scope()).save().thenCompose(v -> send(describe(scope())));
      }
      if (text.startsWith("note:")) {
        SessionMiddleware.session(scope()).put("note", text.substring(5));
        return SessionMiddleware.session(scope()).save().thenCompose(v -> send(describe(scope())));
      }
      return send(describe(scope()));
    }
  }
}
