package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.channels4j.Message;
import io.channels4j.layers.BlockingChannelLayer;
import io.channels4j.layers.ChannelFullException;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code channels.layers.*} settings build the Redis layers through {@link RedisLayerFactory}, found by
 * {@link java.util.ServiceLoader}: on a real redis-server, they send, receive and group-send.
 */
class RedisLayerSettingsTest {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private static final String D = "channels.layers.default.";

  @AfterEach
  void unregister() {
    ChannelLayers.remove(ChannelLayers.DEFAULT);
  }

  @Test
  void aUrlSettingBuildsARedisLayerThatSendsReceivesAndGroupSends() throws Exception {
    try (ChannelLayers.Configuration c = ChannelLayers.configure(Map.of(D + "url", REDIS.uri(), D + "prefix",
        "settings-test", D + "capacity", "2", D + "channel-capacity.big.*", "3", D + "expiry", "30",
        D + "group_expiry", "1h", D + "symmetric-encryption-keys", "secret-one,secret-old"))) {
      assertThat(c.backend("default")).contains("redis");
      ChannelLayer layer = ChannelLayers.get().orElseThrow();
      assertThat(layer).isInstanceOf(RedisChannelLayer.class);
      assertThat(layer.toString()).contains("prefix=settings-test");
      BlockingChannelLayer sync = layer.sync();
      sync.flush();

      sync.send("tasks", Message.of("task.run", "n", 1));
      assertThat(sync.receive("tasks").getInt("n", -1)).isEqualTo(1);
      String member = sync.newChannel();
      sync.groupAdd("room", member);
      sync.groupSend("room", Message.of("chat.message", "text", "hello"));
      assertThat(sync.receive(member).getString("text")).isEqualTo("hello");

      sync.send("small", Message.of("m"));
      sync.send("small", Message.of("m"));
      assertThatThrownBy(() -> sync.send("small", Message.of("m"))).isInstanceOf(ChannelFullException.class);
      for (int i = 0; i < 3; i++) {
        sync.send("big.one", Message.of("m"));
      }
      assertThat(sync.receive("big.one").type()).isEqualTo("m");
    }
    assertThat(ChannelLayers.get()).as("close unregisters").isEmpty();
  }

  @Test
  void channelsRedis43OptionsReachTheBuilder() {
    try (ChannelLayers.Configuration c = ChannelLayers.Configuration.read(Map.of(D + "url", REDIS.uri(),
        D + "prefix", "json43", D + "serializer_format", "json", D + "random_prefix_length", "0"))) {
      BlockingChannelLayer sync = c.get("default").orElseThrow().sync();
      sync.send("plain", Message.of("t", "n", 1));
      assertThat(RedisServer.command(REDIS.server(0).port(), "ZRANGE", "json43plain", "0", "-1"))
          .isEqualTo("{\"type\": \"t\", \"n\": 1}");
      assertThat(sync.receive("plain").getInt("n", -1)).isEqualTo(1);
    }
    try (ChannelLayers.Configuration c = ChannelLayers.Configuration.read(Map.of(D + "backend", "redis-pubsub",
        D + "url", REDIS.uri(), D + "serializer-format", "json", D + "symmetric-encryption-keys", "k1"))) {
      BlockingChannelLayer sync = c.get("default").orElseThrow().sync();
      String ch = sync.newChannel();
      sync.send(ch, Message.of("t", "n", 2));
      assertThat(sync.receive(ch).getInt("n", -1)).isEqualTo(2);
    }
  }

  @Test
  void thePubSubBackendBuildsAPubSubLayer() throws Exception {
    try (ChannelLayers.Configuration c = ChannelLayers.configure(Map.of(D + "backend", "redis-pubsub",
        D + "hosts", REDIS.uri(), D + "prefix", "settings-ps", D + "buffer-size", "10"))) {
      ChannelLayer layer = ChannelLayers.get().orElseThrow();
      assertThat(layer).isInstanceOf(RedisPubSubChannelLayer.class).isSameAs(c.get("default").orElseThrow());
      String member = layer.newChannel().toCompletableFuture().get(10, TimeUnit.SECONDS);
      CompletableFuture<Message> received = layer.receive(member).toCompletableFuture();
      layer.groupAdd("room", member).toCompletableFuture().get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() ->
          !RedisServer.command(REDIS.server(0).port(), "PUBSUB", "NUMSUB", "settings-ps__group__room").endsWith("\n0"));
      layer.groupSend("room", Message.of("chat.message", "text", "hi")).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(received.get(10, TimeUnit.SECONDS).getString("text")).isEqualTo("hi");
    }
  }

  @Test
  void theChannelsRedisClassPathNamesTheBackendToo() {
    ChannelLayers.Configuration c = ChannelLayers.Configuration.read(Map.of(
        D + "BACKEND", "channels_redis.core.RedisChannelLayer", D + "hosts", REDIS.uri()));
    assertThat(c.get("default")).containsInstanceOf(RedisChannelLayer.class);
    c.close();
  }

  @Test
  void anUnreachableRedisDoesNotFailConfiguration() {
    try (ChannelLayers.Configuration c = ChannelLayers.configure(Map.of(D + "url", "redis://127.0.0.1:1",
        D + "command-timeout", "1s"))) {
      assertThat(c.aliases()).containsExactly("default");
    }
  }

  @Test
  void redisOptionsAreCheckedAtOnceNamingTheKey() {
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "url", REDIS.uri(), D + "expiry", "500ms")))
        .hasMessageStartingWith("channels.layers.default.expiry is not valid: expiry must be a whole number of seconds")
        .hasMessageContaining("'PT0.5S'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "backend", "redis", D + "url", "http://x:1")))
        .hasMessageStartingWith("channels.layers.default.hosts is not valid:").hasMessageContaining("'http://x:1'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "url", REDIS.uri(), D + "serializer_format", "pickle")))
        .hasMessageStartingWith("channels.layers.default.serializer-format is not valid: serializer_format must be")
        .hasMessageContaining("'pickle'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "url", REDIS.uri(), D + "random-prefix-length", "x")))
        .hasMessage("channels.layers.default.random-prefix-length is not valid: must be a whole number, got 'x'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "url", REDIS.uri(), D + "ssl-certfile", "/c.pem")))
        .hasMessageContaining("ssl");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "backend", "redis-pubsub", D + "capacity", "5")))
        .hasMessageStartingWith("channels.layers.default.capacity is not an option of backend 'redis-pubsub' (its "
            + "options: [buffer-size, command-timeout, hosts, master-database,");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "sentinels", "127.0.0.1:26379")))
        .hasMessage("channels.layers.default.sentinel-master is needed with channels.layers.default.sentinels, got "
            + "'127.0.0.1:26379'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "url", REDIS.uri(), D + "cluster", "redis://a:1")))
        .hasMessage("channels.layers.default.cluster cannot be combined with url, hosts or sentinels, got "
            + "'redis://a:1'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "url", REDIS.uri(), D + "prefix", "a{b}")))
        .hasMessageStartingWith("channels.layers.default.prefix is not valid:").hasMessageContaining("'a{b}'");
    assertThat(ChannelLayers.get()).isEmpty();
  }

  @Test
  void sentinelSettingsMakeASentinelShard() {
    ChannelLayers.Configuration c = ChannelLayers.Configuration.read(Map.of(D + "sentinel-master", "mymaster",
        D + "sentinels", "127.0.0.1:26379, 127.0.0.1:26380", D + "hosts", "sentinel://127.0.0.1:26381#other"));
    RedisChannelLayer layer = (RedisChannelLayer) c.get("default").orElseThrow();
    assertThat(layer.shardCount()).isEqualTo(2);
    c.close();
  }

  @Test
  void runworkerOptionsStillBuildARedisLayer() throws Exception {
    ChannelLayer layer = new RedisLayerFactory().apply(Map.of("host", REDIS.uri(), "prefix", "settings-rw",
        "group_expiry", "10", "capacity", "5"));
    try {
      assertThat(layer).isInstanceOf(RedisChannelLayer.class);
      layer.sync().send("work", Message.of("job"));
      assertThat(layer.sync().receive("work").type()).isEqualTo("job");
    } finally {
      layer.close();
    }
    assertThatThrownBy(() -> new RedisLayerFactory().apply(Map.of("bogus", "1")))
        .hasMessageStartingWith("channels.layers.default.bogus is not an option of backend 'redis'");
  }
}
