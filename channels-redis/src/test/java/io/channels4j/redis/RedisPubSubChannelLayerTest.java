package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayerUnavailableException;
import io.channels4j.layers.MutableClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link RedisPubSubChannelLayer} beyond the contract: Redis restarts, idle channels, validation. */
class RedisPubSubChannelLayerTest {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private RedisPubSubChannelLayer receiver;
  private RedisPubSubChannelLayer sender;

  @AfterEach
  void close() {
    if (receiver != null) {
      receiver.close();
    }
    if (sender != null) {
      sender.close();
    }
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("the layer operation did not complete within 10 s: " + e, e);
    }
  }

  private int subscribers(String redisChannel) {
    String reply = RedisServer.command(REDIS.server(0).port(), "PUBSUB", "NUMSUB", redisChannel);
    return Integer.parseInt(reply.lines().skip(1).findFirst().orElseThrow());
  }

  /**
   * Publishes {@code m} to {@code channel} (or the group) again and again until {@code pending} has it or
   * {@code seconds} pass: after a restart, messages published before the re-subscription are lost by
   * design, and the sender's own connection may still be coming back.
   */
  private Message publishUntilReceived(String channel, boolean group, CompletableFuture<Message> pending,
      int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    int attempts = 0;
    while (System.nanoTime() < deadline) {
      attempts++;
      Message m = Message.of("test.message", "text", "after restart", "attempt", attempts);
      try {
        (group ? sender.groupSend(channel, m) : sender.send(channel, m)).toCompletableFuture()
            .get(5, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(ChannelLayerUnavailableException.class);
      }
      try {
        return pending.get(100, TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // not re-subscribed yet: publish again
      }
    }
    throw new AssertionError("no delivery on " + channel + " within " + seconds + " s of the restart ("
        + attempts + " publishes)");
  }

  @Test
  void survivesARedisRestartAndResubscribesChannelsGroupsAndNamedChannels() throws Exception {
    receiver = RedisPubSubChannelLayer.builder().host(REDIS.uri()).build();
    sender = RedisPubSubChannelLayer.builder().host(REDIS.uri()).build();
    String ch = await(receiver.newChannel());
    String member = await(receiver.newChannel());
    await(receiver.groupAdd("test.room", member));
    await(receiver.subscribe("test.worker"));
    Message before = Message.of("test.message", "text", "before");
    await(sender.send(ch, before));
    assertThat(await(receiver.receive(ch))).isEqualTo(before);

    CompletableFuture<Message> pendingCh = receiver.receive(ch).toCompletableFuture();
    CompletableFuture<Message> pendingMember = receiver.receive(member).toCompletableFuture();
    CompletableFuture<Message> pendingWorker = receiver.receive("test.worker").toCompletableFuture();
    REDIS.server(0).kill();

    // during the outage sends fail fast; pending receives just wait
    CompletableFuture<Void> during = sender.send(ch, Message.of("test.message", "text", "lost")).toCompletableFuture();
    try {
      during.get(10, TimeUnit.SECONDS);
      throw new AssertionError("a send while Redis is down must fail");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ChannelLayerUnavailableException.class);
    }
    assertThat(pendingCh).isNotDone();

    REDIS.server(0).restart();
    assertThat(publishUntilReceived(ch, false, pendingCh, 15).getString("text")).isEqualTo("after restart");
    assertThat(publishUntilReceived("test.room", true, pendingMember, 15).getString("text"))
        .isEqualTo("after restart");
    assertThat(publishUntilReceived("test.worker", false, pendingWorker, 15).getString("text"))
        .isEqualTo("after restart");
    assertThat(subscribers(ch)).isEqualTo(1);
    assertThat(subscribers("asgi__group__test.room")).isEqualTo(1);
    assertThat(subscribers("test.worker")).isEqualTo(1);

    // and it keeps working normally: the next messages arrive in order
    await(sender.flush());
    await(receiver.flush());
    for (int i = 0; i < 3; i++) {
      await(sender.send(ch, Message.of("test.message", "n", i)));
    }
    for (int i = 0; i < 3; i++) {
      assertThat(await(receiver.receive(ch)).getInt("n", -1)).isEqualTo(i);
    }
  }

  @Test
  void aChannelNobodyReceivesOnForIdleTimeoutIsUnsubscribedAndLeavesItsGroups() throws Exception {
    MutableClock clock = MutableClock.startingNow();
    receiver = RedisPubSubChannelLayer.builder().host(REDIS.uri()).clock(clock).idleTimeout(Duration.ofSeconds(10))
        .build();
    String gone = await(receiver.newChannel());
    String kept = await(receiver.newChannel());
    await(receiver.groupAdd("test.idle", gone));
    await(receiver.groupAdd("test.busy", gone));
    await(receiver.groupAdd("test.busy", kept));
    CompletableFuture<Message> cancelled = receiver.receive(gone).toCompletableFuture();
    cancelled.cancel(false);
    CompletableFuture<Message> waiting = receiver.receive(kept).toCompletableFuture();

    clock.advance(Duration.ofSeconds(9));
    receiver.sweepIdleChannels();
    await(receiver.flush()); // a barrier on the subscriber connection: Redis has seen any UNSUBSCRIBE
    assertThat(subscribers(gone)).as("still within idleTimeout").isEqualTo(1);

    await(receiver.groupAdd("test.idle", gone));
    await(receiver.groupAdd("test.busy", gone));
    await(receiver.groupAdd("test.busy", kept));
    clock.advance(Duration.ofSeconds(2));
    receiver.sweepIdleChannels();
    assertThat(subscribers(kept)).isEqualTo(1);
    Message m = Message.of("test.message", "text", "to the busy room");
    await(receiver.groupSend("test.busy", m));
    assertThat(await(waiting)).isEqualTo(m);
    // the barrier again, then Redis's view: the idle channel and its only group are gone
    await(receiver.subscribe(kept));
    CompletableFuture<Message> probe = receiver.receive(kept).toCompletableFuture();
    await(receiver.send(kept, m));
    await(probe);
    assertThat(subscribers(gone)).isZero();
    assertThat(subscribers("asgi__group__test.idle")).isZero();
    assertThat(subscribers("asgi__group__test.busy")).isEqualTo(1);
    assertThatThrownBy(() -> await(receiver.groupAdd("test.idle", gone)))
        .hasRootCauseInstanceOf(IllegalStateException.class);
  }

  @Test
  void theBuilderValidatesAtOnceQuotingTheValue() {
    assertThatThrownBy(() -> RedisPubSubChannelLayer.builder().host("not a uri"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'not a uri'");
    assertThatThrownBy(() -> RedisPubSubChannelLayer.builder().host(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RedisPubSubChannelLayer.builder().host("redis-sentinel://127.0.0.1:26379#mymaster"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Sentinel");
    assertThatThrownBy(() -> RedisPubSubChannelLayer.builder().prefix("bad prefix"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bad prefix'");
    assertThatThrownBy(() -> RedisPubSubChannelLayer.builder().bufferSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0'");
    assertThatThrownBy(() -> RedisPubSubChannelLayer.builder().idleTimeout(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'PT0.5S'");
    assertThatThrownBy(() -> RedisPubSubChannelLayer.builder().commandTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'PT0S'");
  }
}
