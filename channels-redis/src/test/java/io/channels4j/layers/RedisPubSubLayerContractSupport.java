package io.channels4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import io.channels4j.redis.RedisPubSubChannelLayer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ChannelLayerContract} against {@link RedisPubSubChannelLayer}. Lives in the contract's
 * package because it replaces the cases whose expectations a pub/sub layer compatible with
 * channels_redis's {@code RedisPubSubChannelLayer} cannot meet by design, each with a pub/sub version
 * of the same check (see each override for why).
 */
public abstract class RedisPubSubLayerContractSupport extends ChannelLayerContract {

  /** The builder for this configuration (hosts), before the spec is applied. */
  protected abstract RedisPubSubChannelLayer.Builder base();

  /** The layer's prefix (Python's default). */
  protected static final String PREFIX = "asgi";

  /**
   * The spec's capacity becomes the local buffer size: pub/sub has no send-side capacity, but the
   * contract's bulk cases send up to {@code capacity} messages before receiving them.
   */
  @Override
  protected ChannelLayer newLayer(LayerSpec spec) {
    return base().prefix(PREFIX).clock(spec.clock()).bufferSize(spec.capacity()).build();
  }

  /** Pub/sub stores nothing in Redis: there is nothing to expire (as in channels_redis's pub/sub layer). */
  @Override
  protected boolean supportsExpiry() {
    return false;
  }

  /** Group membership is per process and lasts until groupDiscard or the channel goes idle. */
  @Override
  protected boolean supportsGroupExpiry() {
    return false;
  }

  /**
   * PUBLISH never fails for a slow receiver: there is no capacity (as in channels_redis's pub/sub
   * layer); the receiving process's bounded buffer drops its oldest message instead.
   */
  @Override
  protected boolean supportsCapacity() {
    return false;
  }

  private RedisPubSubChannelLayer pubsub() {
    return (RedisPubSubChannelLayer) layer;
  }

  /**
   * Pub/sub keeps nothing for a channel nobody subscribes to, so the contract's "send, then receive" on
   * a named channel loses the message (as with Python). Here the receiver subscribes first.
   */
  @Override
  @Test
  void sendThenReceiveOnANamedChannel() {
    await(pubsub().subscribe("test.worker-tasks_1"));
    Message m = Message.of("test.message", "text", "to a worker");
    await(layer.send("test.worker-tasks_1", m));
    assertThat(await(layer.receive("test.worker-tasks_1"))).isEqualTo(m);
  }

  /**
   * New channel names are Python's {@code {prefix}{prefix argument}.{32 hex}} (no {@code !}: they are
   * not process-local in Channels' naming sense, any process subscribed to them gets their messages).
   */
  @Override
  @Test
  void newChannelNamesAreUniqueValidProcessLocalAndPrefixed() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      String name = await(layer.newChannel("my.prefix"));
      assertThat(name).matches("asgimy\\.prefix\\.[0-9a-f]{32}");
      assertThat(ChannelNames.requireValidChannelName(name)).isEqualTo(name);
      assertThat(names.add(name)).as("%s is new", name).isTrue();
    }
  }

  /** {@code newChannel()} is Python's {@code new_channel()}: {@code asgispecific.<hex>}. */
  @Override
  @Test
  void newChannelWithoutPrefixUsesSpecific() {
    assertThat(await(layer.newChannel())).matches("asgispecific\\.[0-9a-f]{32}");
  }

  /** The names share a prefix but not a non-local part (there is none); each gets its own messages. */
  @Override
  @Test
  void processLocalChannelsSharingAPrefixGetOnlyTheirOwnMessages() {
    String a = await(layer.newChannel("test.local"));
    String b = await(layer.newChannel("test.local"));
    Message ma = Message.of("test.message", "text", "a");
    Message mb = Message.of("test.message", "text", "b");
    await(layer.send(a, ma));
    await(layer.send(b, mb));
    assertThat(await(layer.receive(b))).isEqualTo(mb);
    assertThat(await(layer.receive(a))).isEqualTo(ma);
    Message marker = Message.of("test.marker");
    await(layer.send(a, marker));
    assertThat(await(layer.receive(a))).isEqualTo(marker);
  }

  /**
   * Every valid name works, once subscribed: a send before any subscription is lost, and groupAdd needs a
   * channel this layer receives on (Python raises {@code RuntimeError} otherwise).
   */
  @Override
  @Test
  void validChannelNamesAreAccepted() {
    for (String name : validChannelNames()) {
      await(pubsub().subscribe(name));
      Message m = Message.of("test.message", "text", "to " + name);
      await(layer.send(name, m));
      assertThat(await(layer.receive(name))).isEqualTo(m);
      await(layer.groupAdd("test.names", name));
      await(layer.groupDiscard("test.names", name));
    }
  }

  @Test
  void groupAddOfAChannelThisLayerDoesNotReceiveOnFailsQuotingIt() {
    Throwable t = failureOf(() -> layer.groupAdd("test.room", "elsewhere.abc"));
    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessageContaining("'elsewhere.abc'");
  }

  @Test
  void aMessageSentBeforeAnySubscriptionIsLost() {
    await(layer.send("test.nobody", Message.of("test.message", "text", "lost")));
    await(pubsub().subscribe("test.nobody"));
    Message marker = Message.of("test.marker");
    await(layer.send("test.nobody", marker));
    assertThat(await(layer.receive("test.nobody"))).isEqualTo(marker);
  }

  @Test
  void everySubscribedLayerGetsACopy() {
    ChannelLayer other = open(LayerSpec.defaults());
    RedisPubSubChannelLayer o = (RedisPubSubChannelLayer) other;
    await(pubsub().subscribe("test.fanout"));
    await(o.subscribe("test.fanout"));
    String mine = await(layer.newChannel());
    String theirs = await(other.newChannel());
    await(layer.groupAdd("test.room", mine));
    await(other.groupAdd("test.room", theirs));
    Message m = Message.of("test.message", "text", "everyone");
    await(layer.send("test.fanout", m));
    await(layer.groupSend("test.room", m));
    assertThat(await(layer.receive("test.fanout"))).isEqualTo(m);
    assertThat(await(other.receive("test.fanout"))).isEqualTo(m);
    assertThat(await(layer.receive(mine))).isEqualTo(m);
    assertThat(await(other.receive(theirs))).isEqualTo(m);
  }

  @Test
  void aFullLocalBufferDropsItsOldestMessage() {
    ChannelLayer small = open(LayerSpec.builder().capacity(3).build());
    String ch = await(small.newChannel());
    for (int i = 0; i < 6; i++) {
      await(small.send(ch, Message.of("test.message", "text", "m" + i)));
    }
    // a message on another channel of the same subscriber connection, sent after them: once it is
    // received, all six were buffered (or dropped)
    String sync = await(small.newChannel());
    await(small.send(sync, Message.of("test.marker")));
    await(small.receive(sync));
    List<String> got = List.of(
        await(small.receive(ch)).getString("text"),
        await(small.receive(ch)).getString("text"),
        await(small.receive(ch)).getString("text"));
    assertThat(got).containsExactly("m3", "m4", "m5");
    assertThat(((RedisPubSubChannelLayer) small).droppedMessages()).isEqualTo(3);
  }
}
