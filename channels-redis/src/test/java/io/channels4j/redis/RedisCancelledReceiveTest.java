package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.channels4j.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A receive on a named channel cancelled, then the layer closed at once (what a worker's graceful stop
 * does): a message sent in between, which the still-blocked BZPOPMIN pops for nobody, goes back to Redis
 * before the connections close, so the next worker gets it.
 */
class RedisCancelledReceiveTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(1);

  private static <T> T get(java.util.concurrent.CompletionStage<T> f) throws Exception {
    return f.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static long blockedPops() {
    return RedisServer.command(REDIS.server(0).port(), "CLIENT", "LIST").lines()
        .filter(l -> l.contains("cmd=bzpopmin")).count();
  }

  @Test
  void aMessagePoppedForACancelledReceiveSurvivesAnImmediateClose() throws Exception {
    try (RedisChannelLayer sender = RedisChannelLayer.builder().host(REDIS.uri()).build()) {
      for (int i = 0; i < 40; i++) {
        String channel = "test-jobs-" + i;
        RedisChannelLayer worker = RedisChannelLayer.builder().host(REDIS.uri()).build();
        try {
          long before = blockedPops();
          CompletableFuture<Message> receive = worker.receive(channel).toCompletableFuture();
          await("the worker's BZPOPMIN is blocked").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
              .until(() -> blockedPops() > before);
          receive.cancel(false);
          get(sender.send(channel, Message.of("job.run", "id", i)));
        } finally {
          worker.close();
        }
        Message left = get(sender.receive(channel));
        assertThat(left.get("id")).as("message %s stayed in Redis", i).isEqualTo((long) i);
      }
    }
  }
}
