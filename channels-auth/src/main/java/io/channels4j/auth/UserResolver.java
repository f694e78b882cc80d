package io.channels4j.auth;

import io.channels4j.Scope;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Finds the user of a connection, for {@link AuthMiddleware}: from the session, as Django does, or from a
 * bearer token for clients that cannot send cookies. Combine them with {@link #or}.
 *
 * <pre>{@code
 * UserResolver users = UserResolver.fromSession(id -> userRepository.findById(id))
 *     .or(UserResolver.bearerToken(token -> tokenService.verify(token)));
 * }</pre>
 */
@FunctionalInterface
public interface UserResolver {

  /**
   * The connection's user, or empty if this resolver does not know one. Must not block.
   *
   * @param scope the connection scope
   * @return the connection's user, or empty if this resolver does not know one
   */
  CompletionStage<Optional<User>> resolve(Scope scope);

  /**
   * This resolver, then {@code next} if this one found nobody.
   *
   * @param next the next
   * @return this resolver, then {@code next} if this one found nobody
   */
  default UserResolver or(UserResolver next) {
    Objects.requireNonNull(next, "next");
    return scope -> resolve(scope).thenCompose(u -> u.isPresent() ? CompletableFuture.completedFuture(u) : next.resolve(scope));
  }

  /**
   * The user whose id the session holds under {@code _auth_user_id} (as Django's {@code login} stores it),
   * looked up by {@code usersById}. Needs {@link SessionMiddleware} outside {@link AuthMiddleware}. Unlike
   * Django it does not compare {@code _auth_user_hash} with the password: {@code usersById} may.
   *
   * @param usersById the users by ID
   * @return the user whose id the session holds under {@code _auth_user_id} (as Django's {@code login} stores it),
   *     looked up by {@code usersById}
   */
  static UserResolver fromSession(Function<String, CompletionStage<Optional<User>>> usersById) {
    Objects.requireNonNull(usersById, "usersById");
    return scope -> {
      Optional<String> id = SessionMiddleware.optionalSession(scope)
          .flatMap(s -> s.get(AuthMiddleware.SESSION_USER_ID))
          .map(String::valueOf);
      return id.isEmpty() ? CompletableFuture.completedFuture(Optional.empty()) : usersById.apply(id.get());
    };
  }

  /**
   * The user {@code usersByToken} finds for the bearer token the client sent, from the first of: the
   * {@code Authorization: Bearer <token>} header; the subprotocols {@code access_token, <token>} a browser
   * offers with {@code new WebSocket(url, ["access_token", token])}; the {@code access_token} query-string
   * parameter. See the module README for the trade-offs of each.
   *
   * @param usersByToken the users by token
   * @return the user {@code usersByToken} finds for the bearer token the client sent, from the first of: the
   *     {@code Authorization: Bearer <token>} header; the subprotocols {@code access_token, <token>} a browser
   *     offers with {@code new WebSocket(url, ["access_token", token])}; the {@code access_token} query-string
   *     parameter
   */
  static UserResolver bearerToken(Function<String, CompletionStage<Optional<User>>> usersByToken) {
    Objects.requireNonNull(usersByToken, "usersByToken");
    return scope -> BearerTokens.find(scope).map(usersByToken).orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
  }
}
