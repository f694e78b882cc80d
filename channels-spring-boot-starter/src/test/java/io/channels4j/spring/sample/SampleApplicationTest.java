package io.channels4j.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The sample as a user runs it: the whole app on a free port ({@code channels.server.port=0} in the test's
 * application.properties), a real WebSocket, group messages through the auto-configured in-memory layer.
 */
@SpringBootTest(classes = SampleApplication.class)
class SampleApplicationTest {

  @Value("${local.channels.port}")
  int port;

  @Autowired
  ChannelLayer layer;

  @Test
  void aSocketReceivesAGroupMessageSentThroughTheLayerBean() throws Exception {
    assertThat(layer).isInstanceOf(InMemoryChannelLayer.class);
    assertThat(ChannelLayers.get()).containsSame(layer);
    try (TestSocket socket = TestSocket.connect(port, "/ws/chat/lobby/")) {
      // The consumer joins the group before it accepts, so the handshake being done means it is a member.
      layer.groupSend("chat_lobby", Message.of("chat.message", "message", "hello from the server"))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);

      assertThat(socket.nextText()).isEqualTo("{\"message\":\"lobby: hello from the server\"}");
    }
  }

  @Test
  void whatOneSocketSaysReachesTheOtherSocketsOfItsRoomOnly() throws Exception {
    try (TestSocket alice = TestSocket.connect(port, "/ws/chat/room1/");
        TestSocket bob = TestSocket.connect(port, "/ws/chat/room1/");
        TestSocket elsewhere = TestSocket.connect(port, "/ws/chat/room2/")) {
      alice.sendText("{\"message\":\"hi bob\"}");

      assertThat(bob.nextText()).isEqualTo("{\"message\":\"room1: hi bob\"}");
      assertThat(alice.nextText()).isEqualTo("{\"message\":\"room1: hi bob\"}");
      // room2 gets its own message, and nothing from room1 before it.
      layer.groupSend("chat_room2", Message.of("chat.message", "message", "only room2"))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(elsewhere.nextText()).isEqualTo("{\"message\":\"room2: only room2\"}");
    }
  }
}
