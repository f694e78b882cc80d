package io.channels4j.layers;

import io.channels4j.internal.ChannelCapacities;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link InMemoryChannelLayer} passes the layer contract; plus what is specific to it. */
class InMemoryChannelLayerTest extends ChannelLayerContract {

  @Override
  protected ChannelLayer newLayer(LayerSpec spec) {
    InMemoryChannelLayer.Builder b = InMemoryChannelLayer.builder()
        .clock(spec.clock())
        .expiry(spec.expiry())
        .groupExpiry(spec.groupExpiry())
        .capacity(spec.capacity());
    for (LayerSpec.CapacityPattern p : spec.channelCapacities()) {
      if (p.isGlob()) {
        b.channelCapacity(p.glob(), p.capacity());
      } else {
        b.channelCapacity(p.regex(), p.capacity());
      }
    }
    return b.build();
  }

  private InMemoryChannelLayer inMemory() {
    return (InMemoryChannelLayer) layer;
  }

  @Test
  void builderRejectsBadValuesQuotingThem() {
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().expiry(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("expiry must be a positive duration, got 'PT0S'");
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().expiry(Duration.ofSeconds(-5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'PT-5S'");
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().expiry(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'null'");
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().groupExpiry(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("groupExpiry must be a positive duration, got 'PT-0.001S'");
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().capacity(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("capacity must be at least 1, got '0'");
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().channelCapacity("http.*", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the capacity for channels matching 'http.*' must be at least 1, got '-1'");
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().channelCapacity(Pattern.compile("^x"), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'^x'").hasMessageContaining("'0'");
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().channelCapacity("", 5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("''");
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().channelCapacity((String) null, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().channelCapacity((Pattern) null, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> InMemoryChannelLayer.builder().clock(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void defaultsAreChannels() {
    InMemoryChannelLayer l = InMemoryChannelLayer.create();
    try {
      assertThat(l.capacityOf("anything")).isEqualTo(100);
      assertThat(l.toString()).contains("expiry=60000ms", "groupExpiry=86400000ms", "capacity=100");
    } finally {
      l.close();
    }
  }

  @Test
  void newChannelNamesLookLikeChannels() {
    String name = await(layer.newChannel("http.response"));
    assertThat(name).matches("http\\.response\\.inmemory![a-zA-Z]{12}");
    assertThat(await(layer.newChannel())).matches("specific\\.inmemory![a-zA-Z]{12}");
  }

  @Test
  void globsFollowFnmatch() {
    assertThat(ChannelCapacities.globToPattern("http.response!*").matcher("http.response!abc").matches()).isTrue();
    assertThat(ChannelCapacities.globToPattern("http.response!*").matcher("httpXresponse!abc").matches()).isFalse();
    assertThat(ChannelCapacities.globToPattern("a?c").matcher("abc").matches()).isTrue();
    assertThat(ChannelCapacities.globToPattern("a?c").matcher("abbc").matches()).isFalse();
    assertThat(ChannelCapacities.globToPattern("[ab]x").matcher("bx").matches()).isTrue();
    assertThat(ChannelCapacities.globToPattern("[!ab]x").matcher("bx").matches()).isFalse();
    assertThat(ChannelCapacities.globToPattern("[!ab]x").matcher("cx").matches()).isTrue();
    assertThat(ChannelCapacities.globToPattern("[a-c]").matcher("b").matches()).isTrue();
    assertThat(ChannelCapacities.globToPattern("[]]").matcher("]").matches()).isTrue();
    assertThat(ChannelCapacities.globToPattern("[x").matcher("[x").matches()).isTrue();
    assertThat(ChannelCapacities.globToPattern("a\\b").matcher("a\\b").matches()).isTrue();
    assertThat(ChannelCapacities.globToPattern("chat").matcher("chat.x").matches()).isFalse();
  }

  @Test
  void regexCapacityIsAnchoredAtTheStartOnlyLikeReMatch() {
    InMemoryChannelLayer l = InMemoryChannelLayer.builder()
        .channelCapacity(Pattern.compile("http\\.response"), 7)
        .channelCapacity(Pattern.compile("response"), 8)
        .build();
    try {
      assertThat(l.capacityOf("http.response.x!y")).isEqualTo(7);
      assertThat(l.capacityOf("an.http.response")).isEqualTo(100);
    } finally {
      l.close();
    }
  }

  @Test
  void idleChannelsAndEmptyGroupsAreForgotten() {
    InMemoryChannelLayer l = inMemory();
    for (int i = 0; i < 100; i++) {
      String ch = await(l.newChannel());
      await(l.send(ch, Message.of("t")));
      await(l.receive(ch));
    }
    assertThat(l.channelCount()).isZero();

    String ch = await(l.newChannel());
    CompletableFuture<Message> pending = l.receive(ch).toCompletableFuture();
    assertThat(l.channelCount()).isEqualTo(1);
    pending.cancel(false);
    assertThat(l.channelCount()).isZero();

    CompletableFuture<Message> timed = l.receive(ch).toCompletableFuture().orTimeout(1, TimeUnit.MILLISECONDS);
    assertThatThrownBy(() -> timed.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
    assertThat(l.channelCount()).isZero();

    await(l.groupAdd("g1", ch));
    await(l.groupAdd("g2", ch));
    assertThat(l.channelCount()).isEqualTo(1);
    assertThat(l.groupCount()).isEqualTo(2);
    await(l.groupDiscard("g1", ch));
    await(l.groupDiscard("g2", ch));
    assertThat(l.channelCount()).isZero();
    assertThat(l.groupCount()).isZero();
  }

  @Test
  void expiryAndGroupExpiryForgetChannelsAndGroups() {
    LayerSpec s = LayerSpec.builder().expiry(Duration.ofSeconds(10)).groupExpiry(Duration.ofSeconds(100)).build();
    InMemoryChannelLayer l = (InMemoryChannelLayer) open(s);
    String a = await(l.newChannel());
    String b = await(l.newChannel());
    await(l.groupAdd("room", a));
    await(l.groupAdd("room", b));
    await(l.send(a, Message.of("t")));
    s.clock().advance(Duration.ofSeconds(11));
    await(l.groupSend("room", Message.of("t")));
    assertThat(l.channelCount()).as("a expired and left; b holds a message").isEqualTo(1);
    await(l.receive(b));
    assertThat(l.channelCount()).isEqualTo(1);
    s.clock().advance(Duration.ofSeconds(100));
    await(l.groupSend("room", Message.of("t")));
    assertThat(l.channelCount()).isZero();
    assertThat(l.groupCount()).isZero();
  }

  @Test
  void aClosedLayerFailsEveryOperation() {
    InMemoryChannelLayer l = InMemoryChannelLayer.create();
    l.close();
    Message m = Message.of("t");
    assertThat(failureOf(() -> l.send("c", m))).isInstanceOf(ChannelLayerUnavailableException.class);
    assertThat(failureOf(() -> l.receive("c"))).isInstanceOf(ChannelLayerUnavailableException.class);
    assertThat(failureOf(() -> l.groupAdd("g", "c"))).isInstanceOf(ChannelLayerUnavailableException.class);
    assertThat(failureOf(() -> l.groupSend("g", m))).isInstanceOf(ChannelLayerUnavailableException.class);
    assertThat(failureOf(l::flush)).isInstanceOf(ChannelLayerUnavailableException.class);
  }

  @Test
  void aGroupSendSharesTheMessageInstance() {
    String a = await(layer.newChannel());
    String b = await(layer.newChannel());
    await(layer.groupAdd("room", a));
    await(layer.groupAdd("room", b));
    Message m = Message.of("t", "x", 1);
    await(layer.groupSend("room", m));
    assertThat(await(layer.receive(a))).isSameAs(m);
    assertThat(await(layer.receive(b))).isSameAs(m);
  }

  @Test
  void theBlockingViewRethrowsChannelFull() {
    InMemoryChannelLayer l = (InMemoryChannelLayer) open(LayerSpec.builder().capacity(1).build());
    l.sync().send("c", Message.of("t"));
    assertThatThrownBy(() -> l.sync().send("c", Message.of("t")))
        .isInstanceOf(ChannelFullException.class).hasMessageContaining("'c'");
    assertThat(l.sync().receive("c").type()).isEqualTo("t");
  }

  @Test
  void groupSendsSkippingFullChannelsAreCountedInOneInfoLine() throws Exception {
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(copy, true, java.nio.charset.StandardCharsets.UTF_8));
    try (InMemoryChannelLayer layer = InMemoryChannelLayer.builder().capacity(1).build()) {
      BlockingChannelLayer sync = layer.sync();
      String slow = sync.newChannel();
      String fast = sync.newChannel();
      sync.groupAdd("room", slow);
      sync.groupAdd("room", fast);
      sync.groupSend("room", Message.of("chat.message"));
      assertThat(sync.receive(fast).type()).isEqualTo("chat.message");
      sync.groupSend("room", Message.of("chat.message")); // slow is full: skipped, as Channels does
      assertThat(sync.receive(fast).type()).isEqualTo("chat.message");
      assertThat(sync.receive(slow).type()).isEqualTo("chat.message");
    } finally {
      System.setErr(original);
    }
    String log = copy.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(log).contains("groupSend skipped 1 deliveries to full channels",
        "1 of 2 channels over capacity in group 'room'");
  }
}
