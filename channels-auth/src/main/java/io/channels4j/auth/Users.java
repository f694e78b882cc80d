package io.channels4j.auth;

import java.util.Objects;

/** The {@link User}s Channels4J makes: a known user and the anonymous one. */
final class Users {

  private Users() {}

  /** What {@link User#of} makes. */
  record Known(String id, String username) implements User {
    Known {
      if (Objects.requireNonNull(id, "id").isEmpty()) {
        throw new IllegalArgumentException("a user id must not be empty");
      }
      Objects.requireNonNull(username, "username");
    }
  }

  /** Django's {@code AnonymousUser}. */
  enum Anonymous implements User {
    INSTANCE;

    @Override
    public String id() {
      return "";
    }

    @Override
    public String username() {
      return "";
    }

    @Override
    public boolean isAuthenticated() {
      return false;
    }

    @Override
    public String toString() {
      return "AnonymousUser";
    }
  }
}
