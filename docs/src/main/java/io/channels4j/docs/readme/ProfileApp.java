package io.channels4j.docs.readme;

// tag::sessions[]
import static io.channels4j.routing.Routes.path;

import io.channels4j.Application;
import io.channels4j.auth.AuthMiddleware;
import io.channels4j.auth.AuthMiddlewareStack;
import io.channels4j.auth.InMemorySessionStore;
import io.channels4j.auth.SessionMiddleware;
import io.channels4j.auth.User;
import io.channels4j.auth.UserResolver;
import io.channels4j.consumer.WebsocketConsumer;
import io.channels4j.routing.URLRouter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Sessions and users: Channels' AuthMiddlewareStack, with the stores and the user lookup passed in. */
public final class ProfileApp {

  private ProfileApp() {}

  /**
   * The profile endpoint behind cookies, sessions and users.
   *
   * @param secretKey signs the session cookie (Django's SECRET_KEY)
   * @param usersById the application's users, by the id the session stores
   * @return the application to serve
   */
  public static Application application(String secretKey, Map<String, User> usersById) {
    Application router = URLRouter.of(path("ws/profile/", ProfileConsumer::new));
    return AuthMiddlewareStack.of(router, new InMemorySessionStore(), List.of(secretKey),
        UserResolver.fromSession(id -> CompletableFuture.completedFuture(Optional.ofNullable(usersById.get(id)))));
  }

  /** Greets its user and keeps a theme in the session. */
  public static class ProfileConsumer extends WebsocketConsumer {
    @Override
    public void connect() {
      accept();
      User user = AuthMiddleware.user(scope());
      send(user.isAuthenticated() ? "hello " + user.username() : "hello stranger");
    }

    @Override
    public void receive(String textData, byte[] bytesData) {
      SessionMiddleware.session(scope()).put("theme", textData);
      send("theme " + SessionMiddleware.session(scope()).get("theme").orElseThrow());
    }
  }
}
// end::sessions[]
