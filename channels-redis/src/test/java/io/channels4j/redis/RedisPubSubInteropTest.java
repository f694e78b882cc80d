package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Java's {@link RedisPubSubChannelLayer} and Python's {@code channels_redis.pubsub.RedisPubSubChannelLayer}
 * (Debian's /usr/bin/python3) share Redis: send and group_send both ways with a rich message (bytes,
 * nested maps, floats, 2^63+5, Unicode), on one host and on two shards; plus the Redis channel names.
 */
class RedisPubSubInteropTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(2);

  private RedisPubSubChannelLayer layer;

  @BeforeAll
  static void python() {
    PythonPeer.requirePython();
  }

  @AfterEach
  void close() {
    if (layer != null) {
      layer.close();
    }
  }

  private String start(int hosts) {
    RedisPubSubChannelLayer.Builder b = RedisPubSubChannelLayer.builder();
    List<String> uris = REDIS.uris().subList(0, hosts);
    uris.forEach(b::host);
    layer = b.build();
    return String.join(",", uris);
  }

  private Message receive(String channel) throws Exception {
    return layer.receive(channel).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0} host(s)")
  @ValueSource(ints = {1, 2})
  void pythonSendAndGroupSendReachAJavaChannel(int hosts) throws Exception {
    String cfg = start(hosts);
    String ch = layer.sync().newChannel();
    assertThat(ch).matches("asgispecific\\.[0-9a-f]{32}");
    layer.sync().groupAdd("interop.room", ch);
    try (PythonPeer py = PythonPeer.start("pubsub_peer.py", "group_send", cfg, "interop.room")) {
      py.expectLine("SENT", 30);
      py.awaitSuccess(30);
    }
    assertThat(receive(ch)).isEqualTo(RedisInteropTest.expected());
    try (PythonPeer py = PythonPeer.start("pubsub_peer.py", "send", cfg, ch)) {
      py.awaitSuccess(30);
    }
    assertThat(receive(ch)).isEqualTo(RedisInteropTest.expected());
  }

  @ParameterizedTest(name = "{0} host(s)")
  @ValueSource(ints = {1, 2})
  void javaSendReachesAPythonChannel(int hosts) {
    String cfg = start(hosts);
    try (PythonPeer py = PythonPeer.start("pubsub_peer.py", "receive", cfg)) {
      String channel = py.expectLine("READY", 30).substring("READY ".length());
      assertThat(channel).matches("asgispecific\\.[0-9a-f]{32}");
      layer.sync().send(channel, RedisInteropTest.expected());
      assertThat(py.expectLine("M", 30)).isEqualTo("MATCH");
      py.awaitSuccess(30);
    }
  }

  @ParameterizedTest(name = "{0} host(s)")
  @ValueSource(ints = {1, 2})
  void javaGroupSendReachesAPythonChannel(int hosts) {
    String cfg = start(hosts);
    try (PythonPeer py = PythonPeer.start("pubsub_peer.py", "receive", cfg, "interop.pyroom")) {
      py.expectLine("READY", 30);
      layer.sync().groupSend("interop.pyroom", RedisInteropTest.expected());
      assertThat(py.expectLine("M", 30)).isEqualTo("MATCH");
      py.awaitSuccess(30);
    }
  }

  /** The Redis channels are the ones Python uses, on the shard Python picks (CRC32 of the full name). */
  @ParameterizedTest(name = "{0} host(s)")
  @ValueSource(ints = {2})
  void redisChannelNamesAndShardsAreChannelsRedis(int hosts) {
    start(hosts);
    String ch = layer.sync().newChannel();
    layer.sync().groupAdd("room1", ch);
    assertThat(layer.groupChannel("room1")).isEqualTo("asgi__group__room1");
    // channels_redis's test vector: crc32("asgi__group__room1") & 0xFFF = 1619 -> shard 0 of 2
    String onShard0 = RedisServer.command(REDIS.server(0).port(), "PUBSUB", "CHANNELS");
    String onShard1 = RedisServer.command(REDIS.server(1).port(), "PUBSUB", "CHANNELS");
    assertThat(onShard0.lines()).contains("asgi__group__room1");
    assertThat(onShard1.lines()).doesNotContain("asgi__group__room1");
    int chShard = io.channels4j.redis.internal.ConsistentHash.shard(ch, 2);
    assertThat((chShard == 0 ? onShard0 : onShard1).lines()).contains(ch);
    assertThat((chShard == 0 ? onShard1 : onShard0).lines()).doesNotContain(ch);
  }
}
