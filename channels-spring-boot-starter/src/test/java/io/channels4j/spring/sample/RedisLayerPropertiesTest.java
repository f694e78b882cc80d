package io.channels4j.spring.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import io.channels4j.layers.BlockingChannelLayer;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.redis.RedisChannelLayer;
import io.channels4j.redis.RedisPubSubChannelLayer;
import io.channels4j.spring.ChannelsAutoConfiguration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code channels.layers.*} Spring properties go through core's {@code ChannelLayers} reader: a {@code url}
 * builds a Redis layer on a real redis-server, {@code backend} and {@code options.*} reach the backend, and a
 * value the backend refuses fails startup naming the property.
 */
@ExtendWith(RedisForTest.class)
class RedisLayerPropertiesTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ChannelsAutoConfiguration.class));

  @Test
  void aUrlPropertyBuildsARedisLayerThatSendsAndGroupSends() {
    Optional<ChannelLayer> before = ChannelLayers.get();
    runner.withPropertyValues("channels.layers.default.url=" + RedisForTest.url(),
        "channels.layers.default.prefix=spring-props", "channels.layers.default.expiry=30s",
        "channels.layers.default.channel-capacity[big.*]=3",
        "channels.layers.events.backend=redis-pubsub", "channels.layers.events.url=" + RedisForTest.url(),
        "channels.layers.events.options.buffer-size=5").run(context -> {
          assertThat(context).hasNotFailed();
          ChannelLayer layer = context.getBean(ChannelLayer.class);
          assertThat(layer).isInstanceOf(RedisChannelLayer.class);
          assertThat(layer.toString()).contains("prefix=spring-props");
          assertThat(ChannelLayers.get()).containsSame(layer);
          assertThat(ChannelLayers.get("events")).containsInstanceOf(RedisPubSubChannelLayer.class);
          BlockingChannelLayer sync = layer.sync();
          sync.send("tasks", Message.of("task.run", "n", 4));
          assertThat(sync.receive("tasks").getInt("n", -1)).isEqualTo(4);
          String member = sync.newChannel();
          sync.groupAdd("room", member);
          sync.groupSend("room", Message.of("chat.message", "text", "via properties"));
          assertThat(sync.receive(member).getString("text")).isEqualTo("via properties");
        });
    assertThat(ChannelLayers.get()).isEqualTo(before);
    assertThat(ChannelLayers.get("events")).isEmpty();
  }

  @Test
  void aValueTheRedisLayerRefusesFailsStartupNamingTheProperty() {
    runner.withPropertyValues("channels.layers.default.url=" + RedisForTest.url(),
        "channels.layers.default.expiry=500ms").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageStartingWith("channels.layers.default.expiry is not valid: expiry must be a whole number of "
                + "seconds").hasMessageContaining("'PT0.5S'"));
  }
}
