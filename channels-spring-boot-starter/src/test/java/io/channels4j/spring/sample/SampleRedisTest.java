package io.channels4j.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.redis.RedisChannelLayer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same sample on a real redis-server, chosen by a property only: {@code channels.layers.default.url}.
 * The context is closed after the class, which hands the {@code default} alias back to any cached context.
 */
@ExtendWith(RedisForTest.class)
@SpringBootTest(classes = SampleApplication.class, properties = "channels.layers.default.prefix=sample")
@DirtiesContext
class SampleRedisTest {

  @DynamicPropertySource
  static void redis(DynamicPropertyRegistry registry) {
    registry.add("channels.layers.default.url", RedisForTest::url);
  }

  @Value("${local.channels.port}")
  int port;

  @Autowired
  ChannelLayer layer;

  @Test
  void aSocketReceivesAGroupMessageThroughRedis() throws Exception {
    assertThat(layer).isInstanceOf(RedisChannelLayer.class);
    assertThat(ChannelLayers.get()).containsSame(layer);
    try (TestSocket alice = TestSocket.connect(port, "/ws/chat/lobby/");
        TestSocket bob = TestSocket.connect(port, "/ws/chat/lobby/")) {
      layer.groupSend("chat_lobby", Message.of("chat.message", "message", "via redis"))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(alice.nextText()).isEqualTo("{\"message\":\"lobby: via redis\"}");
      assertThat(bob.nextText()).isEqualTo("{\"message\":\"lobby: via redis\"}");

      bob.sendText("{\"message\":\"and back\"}");
      assertThat(alice.nextText()).isEqualTo("{\"message\":\"lobby: and back\"}");
    }
  }
}
