package io.channels4j.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.convention.TestBean;

/**
 * A test replacing the application's layer with its own, through Spring's {@code @TestBean}: the consumers of
 * the running server use the test's layer (the starter registers whatever {@code ChannelLayer} bean there is).
 */
@SpringBootTest(classes = SampleApplication.class, properties = "channels.layers.default.url=redis://unused.invalid")
@DirtiesContext
class SampleLayerOverrideTest {

  private static final InMemoryChannelLayer TEST_LAYER =
      InMemoryChannelLayer.builder().expiry(Duration.ofSeconds(5)).build();

  @TestBean
  ChannelLayer channelLayer;

  static ChannelLayer channelLayer() {
    return TEST_LAYER;
  }

  @Value("${local.channels.port}")
  int port;

  @Test
  void theServersConsumersUseTheTestsLayer() throws Exception {
    // The properties name a Redis host that does not exist: the override means it is never contacted.
    assertThat(channelLayer).isSameAs(TEST_LAYER);
    assertThat(ChannelLayers.get()).containsSame(TEST_LAYER);
    try (TestSocket socket = TestSocket.connect(port, "/ws/chat/lobby/")) {
      TEST_LAYER.groupSend("chat_lobby", Message.of("chat.message", "message", "from the test layer"))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(socket.nextText()).isEqualTo("{\"message\":\"lobby: from the test layer\"}");
    }
  }
}
