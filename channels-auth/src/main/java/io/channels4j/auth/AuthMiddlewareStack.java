package io.channels4j.auth;

import io.channels4j.Application;
import java.util.List;

/**
 * Cookies, sessions and users in one wrapper: the Java form of Channels' {@code AuthMiddlewareStack}
 * ({@code CookieMiddleware(SessionMiddleware(AuthMiddleware(inner)))}).
 *
 * <pre>{@code
 * Application app = ProtocolTypeRouter.builder()
 *     .http(AuthMiddlewareStack.of(URLRouter.of(pages), store, secretKeys, users))
 *     .websocket(AllowedHostsOriginValidator.of(
 *         AuthMiddlewareStack.of(URLRouter.of(sockets), store, secretKeys, users), allowedHosts))
 *     .build();
 * }</pre>
 */
public final class AuthMiddlewareStack {

  private AuthMiddlewareStack() {}

  /**
   * Wraps {@code inner} with cookies, sessions in {@code store} (cookies signed with the first of {@code
   * secretKeys}, verified with any) and users found by {@code users}.
   *
   * @param inner the application to wrap
   * @param store the session store
   * @param secretKeys the signing keys, newest first
   * @param users finds users
   * @return the application
   */
  public static Application of(Application inner, SessionStore store, List<String> secretKeys, UserResolver users) {
    return of(inner, SessionMiddleware.builder(store, secretKeys), users);
  }

  /**
   * Wraps {@code inner} with cookies, sessions as {@code sessions} configures them, and users found by {@code users}.
   *
   * @param inner the application to wrap
   * @param sessions the sessions
   * @param users finds users
   * @return the application
   */
  public static Application of(Application inner, SessionMiddleware.Builder sessions, UserResolver users) {
    return new CookieMiddleware(sessions.build(new AuthMiddleware(inner, users)));
  }
}
