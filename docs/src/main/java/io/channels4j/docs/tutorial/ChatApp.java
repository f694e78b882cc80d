package io.channels4j.docs.tutorial;

// tag::app[]
import static io.channels4j.routing.Routes.path;

import io.channels4j.Application;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.middleware.AllowedHostsOriginValidator;
import io.channels4j.routing.ProtocolTypeRouter;
import io.channels4j.routing.URLRouter;
import java.util.List;
import java.util.function.Supplier;

/** The application: pages over HTTP, the chat over WebSocket (Channels' asgi.py and routing.py). */
public final class ChatApp {

  private ChatApp() {}

  /**
   * Routes HTTP to the pages and WebSocket to {@code chatConsumer}, accepting WebSockets from
   * {@code allowedHosts} only.
   *
   * @param chatConsumer makes one consumer per WebSocket, e.g. {@code ChatConsumer::new}
   * @param allowedHosts the hosts pages may be served from, as Django's ALLOWED_HOSTS
   * @return the application to serve
   */
  public static Application application(Supplier<? extends AsyncConsumer> chatConsumer, List<String> allowedHosts) {
    Application websocket = URLRouter.of(path("ws/chat/<str:room_name>/", chatConsumer));
    Application http = URLRouter.of(
        path("chat/", () -> new PageConsumer(Pages.INDEX)),
        path("chat/<str:room_name>/", () -> new PageConsumer(Pages.ROOM)));
    return ProtocolTypeRouter.builder()
        .http(http)
        .websocket(AllowedHostsOriginValidator.of(websocket, allowedHosts))
        .build();
  }
}
// end::app[]
