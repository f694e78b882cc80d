package io.channels4j.example.chat;

import static io.channels4j.routing.Routes.path;

import io.channels4j.Application;
import io.channels4j.auth.AuthMiddlewareStack;
import io.channels4j.auth.ConnectionLimitMiddleware;
import io.channels4j.auth.CsrfOriginMiddleware;
import io.channels4j.auth.InMemorySessionStore;
import io.channels4j.auth.RateLimitMiddleware;
import io.channels4j.auth.SessionMiddleware;
import io.channels4j.auth.SessionStore;
import io.channels4j.auth.User;
import io.channels4j.auth.UserResolver;
import io.channels4j.middleware.AllowedHostsOriginValidator;
import io.channels4j.routing.ProtocolTypeRouter;
import io.channels4j.routing.Route;
import io.channels4j.routing.URLRouter;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The chat application: the tutorial's {@code mysite/asgi.py}, {@code chat/routing.py} and {@code
 * chat/urls.py} in one place. Pages and sockets both go through a {@link ProtocolTypeRouter} behind an
 * {@link AuthMiddlewareStack}; sockets are checked against the allowed hosts by an {@link
 * AllowedHostsOriginValidator}, and posts by a {@link CsrfOriginMiddleware}.
 *
 * <p>Room names are captured with the {@code path} converter, so a room name may hold anything a person
 * types, even a {@code /} (the pages URL-encode it). A display name set with {@code POST /chat/name/} logs
 * the session in as a user of that name, so sockets on that session send as that user.
 */
public final class ChatApplication {

  private ChatApplication() {}

  /**
   * What identity and guards the application runs with.
   *
   * @param sessions where sessions live
   * @param secretKeys the keys session cookies are signed with (the first signs)
   * @param rateLimit messages per second (burst as many) one socket may send; 0 for no limit
   * @param maxConnectionsPerIp open connections one client address may hold; 0 for no limit
   */
  public record Identity(SessionStore sessions, List<String> secretKeys, int rateLimit, int maxConnectionsPerIp) {
    /** Checks the parts. */
    public Identity {
      Objects.requireNonNull(sessions, "sessions");
      secretKeys = List.copyOf(secretKeys);
    }

    /** In-memory sessions signed with a random key, no limits: for one process and tests. */
    public static Identity local() {
      return new Identity(new InMemorySessionStore(), List.of(randomSecretKey()), 0, 0);
    }
  }

  /**
   * How rooms keep history and whether they report to the stats worker.
   *
   * @param history the messages each room keeps for late and reconnecting clients (SSE, long polling); 0
   *     keeps none
   * @param statsChannel the channel every posted message is also reported to, for {@link StatsWorker}; null
   *     for none
   */
  public record Rooms(int history, String statsChannel) {
    /** The default history: the last 100 messages of each room. */
    public static final int DEFAULT_HISTORY = 100;

    /** Checks the parts. */
    public Rooms {
      if (history < 0) {
        throw new IllegalArgumentException("history must be 0 or more, got " + history);
      }
    }

    /** 100 messages of history, no stats worker. */
    public static Rooms defaults() {
      return new Rooms(DEFAULT_HISTORY, null);
    }
  }

  /** Every display name is a user whose id and name are that name. */
  static final UserResolver USERS =
      UserResolver.fromSession(name -> CompletableFuture.completedFuture(Optional.of(User.of(name, name))));

  /** The WebSocket routes (the tutorial's {@code chat/routing.py}). */
  public static List<Route> websocketUrlPatterns() {
    return List.of(path("ws/chat/<path:room_name>/", ChatConsumer::new));
  }

  /**
   * The page routes (the tutorial's {@code chat/urls.py}), {@code POST /chat/name/}, and each room's
   * HTTP transports: {@code events/} (server-sent events), {@code messages/} (POST a message) and {@code
   * poll/} (long polling); {@code /} shows the index page too, and a room URL without its final slash is
   * redirected to it. (So a room whose name ends in {@code /events} and the like is reached over WebSocket
   * only.)
   */
  public static List<Route> httpUrlPatterns() {
    return List.of(
        path("chat/", IndexConsumer::new),
        path("chat/name/", NameConsumer::new),
        path("chat/<path:room_name>/events/", RoomEventsConsumer::new),
        path("chat/<path:room_name>/messages/", RoomMessagesConsumer::new),
        path("chat/<path:room_name>/poll/", RoomPollConsumer::new),
        path("chat/<path:room_name>/", RoomConsumer::new),
        path("chat/<path:room_name>", Pages.AppendSlash::new),
        path("", IndexConsumer::new));
  }

  /**
   * The whole application with in-memory sessions and no limits.
   *
   * @param allowedHosts the hosts a WebSocket's {@code Origin} (and a POST's) may name, in Django's
   *     ALLOWED_HOSTS syntax
   */
  public static Application create(List<String> allowedHosts) {
    return create(allowedHosts, Identity.local());
  }

  /** The whole application (the tutorial's {@code mysite/asgi.py}, with {@code AuthMiddlewareStack}). */
  public static Application create(List<String> allowedHosts, Identity identity) {
    return create(allowedHosts, identity, Rooms.defaults());
  }

  /** The whole application, its rooms keeping history and reporting as {@code rooms} says. */
  public static Application create(List<String> allowedHosts, Identity identity, Rooms rooms) {
    Objects.requireNonNull(rooms, "rooms");
    Application app = routed(allowedHosts, identity);
    return (scope, receive, send) -> app.handle(scope.with(RoomPosts.ROOMS_KEY, rooms), receive, send);
  }

  /** The routers behind the middleware stacks, without the rooms settings. */
  private static Application routed(List<String> allowedHosts, Identity identity) {
    SessionMiddleware.Builder sessions = SessionMiddleware.builder(identity.sessions(), identity.secretKeys())
        .saveEveryRequest(true);
    Application sockets = AuthMiddlewareStack.of(URLRouter.of(websocketUrlPatterns()), sessions, USERS);
    if (identity.rateLimit() > 0) {
      sockets = RateLimitMiddleware.of(sockets, identity.rateLimit(), identity.rateLimit(),
          RateLimitMiddleware.OverLimit.CLOSE);
    }
    Application app = ProtocolTypeRouter.builder()
        .http(CsrfOriginMiddleware.of(AuthMiddlewareStack.of(URLRouter.of(httpUrlPatterns()), sessions, USERS),
            allowedHosts))
        .websocket(AllowedHostsOriginValidator.of(sockets, allowedHosts))
        .build();
    return identity.maxConnectionsPerIp() > 0 ? ConnectionLimitMiddleware.of(app, identity.maxConnectionsPerIp()) : app;
  }

  /**
   * The chat application configured from the environment, as {@code java -jar chat-example.jar} reads it ({@code
   * CHAT_LAYER}, {@code REDIS_URL}, {@code CHAT_ALLOWED_HOSTS}, {@code CHAT_SECRET_KEY}, {@code CHAT_HISTORY}, ...;
   * the in-memory layer by default), with its layer bound: what the adapter's server command serves, e.g. {@code
   * java -cp ... io.channels4j.undertow.Main -p 8000 io.channels4j.example.chat.ChatApplication::application}.
   *
   * @return the application
   * @throws IllegalArgumentException if a variable has a bad value (ChatOptions.UsageException)
   */
  public static Application application() {
    return ChatServer.application(ChatOptions.parse(new String[0], System.getenv()));
  }

  /** A random 256-bit key, base64: what the server signs with when no {@code --secret-key} is given. */
  public static String randomSecretKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
  }
}
