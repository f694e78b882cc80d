package io.channels4j.example.chat;

import static io.channels4j.routing.Routes.path;

import io.channels4j.Application;
import io.channels4j.middleware.AllowedHostsOriginValidator;
import io.channels4j.routing.ProtocolTypeRouter;
import io.channels4j.routing.Route;
import io.channels4j.routing.URLRouter;
import java.util.List;

/**
 * The chat application: the tutorial's {@code mysite/asgi.py}, {@code chat/routing.py} and {@code
 * chat/urls.py} in one place. Pages and sockets both go through a {@link ProtocolTypeRouter}; sockets
 * are checked against the allowed hosts by an {@link AllowedHostsOriginValidator}.
 *
 * <p>Room names are captured with the {@code path} converter, so a room name may hold anything a person
 * types, even a {@code /} (the pages URL-encode it).
 */
public final class ChatApplication {

  private ChatApplication() {}

  /** The WebSocket routes (the tutorial's {@code chat/routing.py}). */
  public static List<Route> websocketUrlPatterns() {
    return List.of(path("ws/chat/<path:room_name>/", ChatConsumer::new));
  }

  /**
   * The page routes (the tutorial's {@code chat/urls.py}); {@code /} shows the index page too, and a
   * room URL without its final slash is redirected to it.
   */
  public static List<Route> httpUrlPatterns() {
    return List.of(
        path("chat/", IndexConsumer::new),
        path("chat/<path:room_name>/", RoomConsumer::new),
        path("chat/<path:room_name>", Pages.AppendSlash::new),
        path("", IndexConsumer::new));
  }

  /**
   * The whole application (the tutorial's {@code mysite/asgi.py}).
   *
   * @param allowedHosts the hosts a WebSocket's {@code Origin} may name, in Django's ALLOWED_HOSTS syntax
   */
  public static Application create(List<String> allowedHosts) {
    return ProtocolTypeRouter.builder()
        .http(URLRouter.of(httpUrlPatterns()))
        .websocket(AllowedHostsOriginValidator.of(URLRouter.of(websocketUrlPatterns()), allowedHosts))
        .build();
  }
}
