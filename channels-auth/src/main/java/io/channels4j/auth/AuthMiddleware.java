package io.channels4j.auth;

import io.channels4j.Application;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.middleware.BaseMiddleware;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Puts the connection's {@link User} in the scope under {@code "user"}: the Java form of Channels' {@code
 * AuthMiddleware}. The {@link UserResolver} finds it (from the session, a bearer token, or both); nobody
 * found is {@link User#anonymous()}. Read it with {@link #user(Scope)}; change it with {@link #login} and
 * {@link #logout}, as Channels' {@code login(scope, user)} and {@code logout(scope)}.
 *
 * <pre>{@code
 * Application app = AuthMiddlewareStack.of(router, sessionStore, secretKeys,
 *     UserResolver.fromSession(id -> users.findById(id)));
 * }</pre>
 *
 * <p>When a WebSocket client offers the subprotocols {@code access_token, <token>}, the token is removed
 * from the scope's subprotocols (so the application never echoes it), and an accept without a subprotocol
 * is sent with {@code access_token}, which browsers need to complete the handshake.
 */
public final class AuthMiddleware extends BaseMiddleware {

  /** The scope key the user is stored under, as in Channels. */
  public static final String SCOPE_KEY = "user";
  /** The session key holding the logged-in user's id, as in Django. */
  public static final String SESSION_USER_ID = "_auth_user_id";

  private final UserResolver resolver;

  /**
   * Wraps {@code inner}, finding users with {@code resolver}.
   *
   * @param inner the application to wrap
   * @param resolver the resolver
   */
  public AuthMiddleware(Application inner, UserResolver resolver) {
    super(inner);
    this.resolver = Objects.requireNonNull(resolver, "resolver");
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    boolean tokenProtocol = Scope.WEBSOCKET.equals(scope.type()) && BearerTokens.offeredInSubprotocol(scope);
    Scope cleaned = tokenProtocol ? BearerTokens.withoutSubprotocolToken(scope) : scope;
    Send out = !tokenProtocol ? send : m -> send.send(
        m.type().equals("websocket.accept") && m.get("subprotocol") == null
            ? m.with("subprotocol", BearerTokens.SUBPROTOCOL)
            : m);
    return resolver.resolve(scope).thenCompose(user -> {
      Scope s = cleaned.with(SCOPE_KEY, user.orElse(User.anonymous()));
      return inner().handle(s, receive, out);
    });
  }

  /**
   * The connection's user: the one {@link #login} or {@link #logout} set on this connection, else the one
   * found when it opened, else {@link User#anonymous()} if nobody was.
   *
   * @param scope the connection scope
   * @return the connection's user: the one {@link #login} or {@link #logout} set on this connection, else the one
   *     found when it opened, else {@link User#anonymous()} if nobody was
   * @throws IllegalStateException if no {@link AuthMiddleware} wraps the application
   */
  public static User user(Scope scope) {
    Optional<User> changed = SessionMiddleware.optionalSession(scope).map(Session::loggedIn);
    if (changed.isPresent()) {
      return changed.get();
    }
    if (scope.get(SCOPE_KEY).orElse(null) instanceof User u) {
      return u;
    }
    throw new IllegalStateException("no user in the scope: wrap the application in AuthMiddleware or AuthMiddlewareStack");
  }

  /**
   * Logs {@code user} in on this connection's session, as Channels' {@code login}: the session key is
   * cycled (or, if another user was logged in, the session flushed) against session fixation, and the
   * user's id stored under {@code _auth_user_id}. Over HTTP the session is saved before the response; on a
   * WebSocket call {@code SessionMiddleware.session(scope).save()}.
   *
   * @param scope the connection scope
   * @param user the user
   * @throws IllegalStateException if there is no session
   * @throws IllegalArgumentException if {@code user} is anonymous
   */
  public static void login(Scope scope, User user) {
    Objects.requireNonNull(user, "user");
    if (!user.isAuthenticated()) {
      throw new IllegalArgumentException("cannot log in the anonymous user");
    }
    Session session = SessionMiddleware.session(scope);
    Optional<String> previous = session.get(SESSION_USER_ID).map(String::valueOf);
    if (previous.isPresent() && !previous.get().equals(user.id())) {
      session.flush();
    } else {
      session.cycleKey();
    }
    session.put(SESSION_USER_ID, user.id());
    session.loggedIn(user);
  }

  /**
   * Logs the user out, as Channels' {@code logout}: the session is flushed (its data deleted, its cookie
   * expired) and {@link #user(Scope)} is anonymous from now on.
   *
   * @param scope the connection scope
   * @throws IllegalStateException if there is no session
   */
  public static void logout(Scope scope) {
    Session session = SessionMiddleware.session(scope);
    session.flush();
    session.loggedIn(User.anonymous());
  }

  @Override
  public String toString() {
    return "AuthMiddleware(" + inner() + ")";
  }
}
