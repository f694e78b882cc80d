package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.channels4j.Message;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pub/sub layer: named channels, interop with Python's pub/sub layer, Redis restarts. */
class RedisPubSubChannelLayerTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(1);

  private RedisPubSubChannelLayer layer;

  @AfterEach
  void close() {
    if (layer != null) {
      layer.close();
    }
  }

  private RedisPubSubChannelLayer open() {
    layer = RedisPubSubChannelLayer.builder().host(REDIS.server(0).uri()).build();
    return layer;
  }

  private static Message get(CompletableFuture<Message> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  @Test
  void aNamedChannelReceivesOnceSubscribed() throws Exception {
    RedisPubSubChannelLayer l = open();
    CompletableFuture<Message> pending = l.receive("worker.tasks").toCompletableFuture();
    // the first receive subscribes; publish until Redis reports a subscriber, then the message arrives
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
        .until(() -> !RedisServer.command(REDIS.server(0).port(), "PUBSUB", "NUMSUB", "worker.tasks").endsWith("\n0"));
    l.sync().send("worker.tasks", Message.of("task", "n", 1));
    assertThat(get(pending).getLong("n", 0)).isEqualTo(1);
  }

  /**
   * channels_redis writes SUBSCRIBE without waiting for Redis to confirm it, so the peer's READY may come
   * before Redis knows the subscriber; a publish in between would reach nobody (pub/sub is at-most-once).
   */
  private static void awaitSubscriber(String redisChannel) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
        .until(() -> !RedisServer.command(REDIS.server(0).port(), "PUBSUB", "NUMSUB", redisChannel).endsWith("\n0"));
  }

  @Test
  void pythonPubSubPeersAndJavaTalkBothWays() throws Exception {
    PythonPeer.requirePython();
    RedisPubSubChannelLayer l = open();
    String hosts = REDIS.server(0).uri();
    String ch = l.sync().newChannel();
    l.sync().groupAdd("interop.pubsub", ch);
    try (PythonPeer py = PythonPeer.start("pubsub_peer.py", "group_send", hosts, "interop.pubsub")) {
      py.awaitSuccess(30);
    }
    assertThat(get(l.receive(ch).toCompletableFuture())).isEqualTo(RedisInteropTest.expected());
    try (PythonPeer py = PythonPeer.start("pubsub_peer.py", "send", hosts, ch)) {
      py.awaitSuccess(30);
    }
    assertThat(get(l.receive(ch).toCompletableFuture())).isEqualTo(RedisInteropTest.expected());
    try (PythonPeer py = PythonPeer.start("pubsub_peer.py", "receive", hosts, "interop.pyroom")) {
      py.expectLine("READY", 30);
      awaitSubscriber("asgi__group__interop.pyroom");
      l.sync().groupSend("interop.pyroom", RedisInteropTest.expected());
      assertThat(py.expectLine("M", 30)).isEqualTo("MATCH");
      py.awaitSuccess(30);
    }
    try (PythonPeer py = PythonPeer.start("pubsub_peer.py", "receive", hosts)) {
      String pych = py.expectLine("READY", 30).substring("READY ".length());
      assertThat(pych).startsWith("asgispecific.");
      awaitSubscriber(pych);
      l.sync().send(pych, RedisInteropTest.expected());
      assertThat(py.expectLine("M", 30)).isEqualTo("MATCH");
      py.awaitSuccess(30);
    }
  }

  @Test
  void resubscribesAfterARedisRestart() throws Exception {
    RedisPubSubChannelLayer l = open();
    RedisServer server = REDIS.server(0);
    String ch = l.sync().newChannel();
    l.sync().groupAdd("room", ch);
    CompletableFuture<Message> pending = l.receive(ch).toCompletableFuture();
    server.kill();
    server.restart();
    // lettuce reconnects and re-subscribes within 5 s: Redis counts the subscribers.
    await("re-subscribed").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> !RedisServer.command(server.port(), "PUBSUB", "NUMSUB", "asgi__group__room").endsWith("\n0"));
    await("group send accepted").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .ignoreExceptionsInstanceOf(ExecutionException.class)
        .until(() -> l.groupSend("room", Message.of("after")).toCompletableFuture().get(5, TimeUnit.SECONDS) == null);
    assertThat(get(pending).type()).isEqualTo("after");
  }

  @Test
  void everyOpenChannelHearsItsGroupsAfterRedisRestartsEmpty() throws Exception {
    RedisPubSubChannelLayer l = open();
    RedisServer server = REDIS.server(0);
    java.util.List<CompletableFuture<Message>> pending = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String ch = l.sync().newChannel();
      l.sync().groupAdd(i % 2 == 0 ? "room.a" : "room.b", ch);
      pending.add(l.receive(ch).toCompletableFuture());
    }
    server.kill();
    server.restart();
    await("every open channel hears its group").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          l.groupSend("room.a", Message.of("after"));
          l.groupSend("room.b", Message.of("after"));
          return pending.stream().allMatch(CompletableFuture::isDone);
        });
    for (CompletableFuture<Message> f : pending) {
      assertThat(get(f).type()).isEqualTo("after");
    }
  }
}
