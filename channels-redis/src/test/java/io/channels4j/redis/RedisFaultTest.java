package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayerUnavailableException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis dies mid-traffic and comes back on the same port: the layer fails fast, then recovers. */
class RedisFaultTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(1);

  private static Throwable failure(CompletableFuture<?> f) throws InterruptedException {
    try {
      Object v = f.get(5, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + v);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the operation hung instead of failing fast", e);
    }
  }

  /** Retries a send until it succeeds (5 s at most); every failure meanwhile is a fast "unavailable". */
  static void sendSucceedsWithin5s(RedisChannelLayer layer, String channel, String type) {
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
      try {
        layer.send(channel, Message.of(type)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        return true;
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ChannelLayerUnavailableException.class);
        return false;
      }
    });
  }

  @Test
  void survivesARedisRestartWithoutLeaks() throws Exception {
    RedisServer server = REDIS.server(0);
    Set<Thread> threadsBefore = LeakCheck.lettuceThreads();
    long clientsBefore = LeakCheck.clients(server);
    RedisChannelLayer layer = RedisChannelLayer.builder().host(server.uri())
        .commandTimeout(Duration.ofSeconds(2)).build();
    String ch = layer.sync().newChannel();
    for (int i = 0; i < 50; i++) {
      layer.sync().send(ch, Message.of("before", "i", i));
      assertThat(layer.sync().receive(ch).getLong("i", -1)).isEqualTo(i);
    }
    layer.sync().send("worker", Message.of("queued"));
    assertThat(layer.sync().receive("worker").type()).isEqualTo("queued");
    CompletableFuture<Message> pendingLocal = layer.receive(ch).toCompletableFuture();
    CompletableFuture<Message> pendingNamed = layer.receive("worker").toCompletableFuture();

    server.kill();
    long t0 = System.nanoTime();
    Throwable t = failure(layer.send(ch, Message.of("during")).toCompletableFuture());
    long failMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(t).isInstanceOf(ChannelLayerUnavailableException.class).hasMessageContaining("127.0.0.1:" + server.port());
    assertThat(failMs).as("fails fast (ms)").isLessThan(2500);
    assertThat(failure(layer.groupAdd("g", ch).toCompletableFuture())).isInstanceOf(ChannelLayerUnavailableException.class);
    assertThat(pendingLocal).as("receives wait through the outage").isNotDone();

    server.restart();
    long back = System.nanoTime();
    // Each attempt fails fast until lettuce has reconnected.
    sendSucceedsWithin5s(layer, ch, "after");
    layer.sync().send("worker", Message.of("after-named"));
    assertThat(pendingLocal.get(5, TimeUnit.SECONDS).type()).isEqualTo("after");
    assertThat(pendingNamed.get(5, TimeUnit.SECONDS).type()).isEqualTo("after-named");
    long recoveredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - back);
    assertThat(recoveredMs).as("end-to-end recovery (ms)").isLessThan(5000);
    System.out.println("fault test: failed fast in " + failMs + " ms, recovered in " + recoveredMs + " ms");

    layer.close();
    LeakCheck.noNewLettuceThreads(threadsBefore);
    assertThat(LeakCheck.clients(server)).as("connections after close").isEqualTo(Math.min(clientsBefore, 1));
  }

  @Test
  void aLayerBuiltWhileRedisIsDownFailsFastThenConnects() throws Exception {
    RedisServer server = REDIS.server(0);
    server.kill();
    try (RedisChannelLayer layer = RedisChannelLayer.builder().host(server.uri())
        .commandTimeout(Duration.ofSeconds(2)).build()) {
      String ch = layer.sync().newChannel();
      assertThat(failure(layer.send(ch, Message.of("early")).toCompletableFuture()))
          .isInstanceOf(ChannelLayerUnavailableException.class);
      CompletableFuture<Message> pending = layer.receive(ch).toCompletableFuture();
      server.restart();
      sendSucceedsWithin5s(layer, ch, "later");
      assertThat(pending.get(5, TimeUnit.SECONDS).type()).isEqualTo("later");
    } finally {
      if (!server.isRunning()) {
        server.restart();
      }
    }
  }
}
