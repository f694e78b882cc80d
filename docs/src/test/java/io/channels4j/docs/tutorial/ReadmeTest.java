package io.channels4j.docs.tutorial;

// tag::readme-test[]
import static io.channels4j.routing.Routes.path;
import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.routing.URLRouter;
import io.channels4j.testing.WebsocketCommunicator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadmeTest {

  @Test
  void twoClientsInOneRoomHearEachOther() {
    ChannelLayers.set(ChannelLayers.DEFAULT, InMemoryChannelLayer.create());
    Application app = URLRouter.of(path("ws/chat/<str:room_name>/", AsyncChatConsumer::new));

    WebsocketCommunicator alice = new WebsocketCommunicator(app, "/ws/chat/lobby/");
    WebsocketCommunicator bob = new WebsocketCommunicator(app, "/ws/chat/lobby/");
    assertThat(alice.connect().accepted()).isTrue();
    assertThat(bob.connect().accepted()).isTrue();
    alice.sendJsonTo(Map.of("message", "hello"));
    assertThat(bob.receiveJsonFrom().get("message").asText()).isEqualTo("hello");
    alice.disconnect();
    bob.disconnect();
  }
}
// end::readme-test[]
