package io.channels4j.auth;

/**
 * Who is on the other end of a connection: the Java form of Django's {@code request.user} /
 * Channels' {@code scope["user"]}. Read it with {@link AuthMiddleware#user(io.channels4j.Scope)}; nobody
 * logged in is {@link #anonymous()}. Applications may implement it on their own user class.
 */
public interface User {

  /** {@return the user's id, as stored in the session under {@code _auth_user_id}; empty for the anonymous user} */
  String id();

  /** {@return a name to show; empty for the anonymous user} */
  String username();

  /**
   * False only for the anonymous user.
   *
   * @return {@code false} only for the anonymous user
   */
  default boolean isAuthenticated() {
    return true;
  }

  /**
   * A logged-in user with {@code id} and {@code username}.
   *
   * @param id the id
   * @param username the user name
   * @return a logged-in user with {@code id} and {@code username}
   */
  static User of(String id, String username) {
    return new Users.Known(id, username);
  }

  /** {@return the user of connections nobody is logged in on (Django's {@code AnonymousUser})} */
  static User anonymous() {
    return Users.Anonymous.INSTANCE;
  }
}
