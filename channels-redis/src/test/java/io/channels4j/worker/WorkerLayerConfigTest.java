package io.channels4j.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.redis.RedisChannelLayer;
import io.channels4j.redis.RedisLayerFactory;
import io.channels4j.redis.RedisPubSubChannelLayer;
import io.channels4j.redis.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** runworker's layer from settings: {@code --layer-config FILE} and {@code --layer <backend>}, on real Redis. */
class WorkerLayerConfigTest {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @AfterEach
  void clear() {
    ChannelLayers.remove(ChannelLayers.DEFAULT);
    ChannelLayers.remove("events");
  }

  @Test
  void aLayerConfigFileBuildsEveryAliasAndTheWorkerUsesDefault(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("layers.properties");
    Files.writeString(file, "channels.layers.default.url=" + REDIS.uri() + "\n"
        + "channels.layers.default.prefix=worker-config\n"
        + "channels.layers.events.backend=redis-pubsub\n"
        + "channels.layers.events.url=" + REDIS.uri() + "\n");
    WorkerCommand.Arguments args = WorkerCommand.parse(new String[] {"--channels", "jobs", "--application", "x.App",
        "--layer-config", file.toString()});
    assertThat(args.layerConfig()).isEqualTo(file.toString());
    ChannelLayer layer = WorkerLayers.fromFile(args.layerConfig());
    try {
      assertThat(layer).isInstanceOf(RedisChannelLayer.class);
      assertThat(ChannelLayers.get("events")).containsInstanceOf(RedisPubSubChannelLayer.class);
      layer.sync().send("jobs", Message.of("job.run"));
      assertThat(layer.sync().receive("jobs").type()).isEqualTo("job.run");
    } finally {
      WorkerLayers.close(layer);
    }
    assertThat(ChannelLayers.get("events")).as("closing the configuration unregisters its aliases").isEmpty();
  }

  @Test
  void aBackendNameWithLayerOptionsAndTheOldFactoryClassBothWork() {
    ChannelLayer byName = WorkerCommand.layer("redis", Map.of("url", REDIS.uri(), "capacity", "3"));
    ChannelLayer byClass = WorkerCommand.layer(RedisLayerFactory.class.getName(), Map.of("host", REDIS.uri()));
    try {
      assertThat(byName).isInstanceOf(RedisChannelLayer.class);
      assertThat(byClass).isInstanceOf(RedisChannelLayer.class);
      byName.sync().send("w", Message.of("a"));
      assertThat(byClass.sync().receive("w").type()).isEqualTo("a");
    } finally {
      byName.close();
      byClass.close();
    }
    assertThatThrownBy(() -> WorkerCommand.layer("redis", Map.of("capacity", "lots")))
        .hasMessage("channels.layers.default.capacity must be a positive whole number, got 'lots'");
  }

  @Test
  void layerConfigAndLayerTogetherAreRefused(@TempDir Path dir) {
    assertThatThrownBy(() -> WorkerCommand.parse(new String[] {"--channels", "a", "--application", "x.App",
        "--layer-config", "f.properties", "--layer", "redis"}))
        .hasMessageContaining("give either --layer-config or --layer with --layer-option, not both");
    assertThatThrownBy(() -> WorkerLayers.fromFile(dir.resolve("missing.properties").toString()))
        .hasMessageContaining("--layer-config cannot read");
  }
}
