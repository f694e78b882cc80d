package io.channels4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.channels4j.Message;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ChannelLayer} must show: Channels' channel layer specification (send,
 * receive, new channels, groups, capacity, expiry, flush, names) plus this library's guarantees
 * (cancellation loses nothing, concurrent senders lose nothing, failures arrive through the returned
 * stage). Shipped in channels-core's test-jar.
 *
 * <p>To check a layer, extend this class and implement {@link #newLayer(LayerSpec)}, configuring the
 * layer from the spec: in particular it must read time from {@link LayerSpec#clock()}, which the tests
 * advance instead of sleeping. A layer that documents a difference (a pub/sub layer has neither
 * capacity nor expiry) overrides the matching hook ({@link #supportsExpiry}, {@link
 * #expiryRemovesFromGroups}, {@link #supportsGroupExpiry}, {@link #supportsCapacity}, {@link
 * #supportsChannelCapacityPatterns}, {@link #keepsMessagesSentBeforeTheFirstReceive}, {@link
 * #supportsHistory} for the room-history cases of {@link GroupHistoryContract}); each hook's
 * Javadoc states the alternative behaviour such a layer must show instead, and the cases that depend on
 * it assert that alternative. No case is ever skipped: every case asserts something on every layer.
 *
 * <pre>{@code
 * class RedisChannelLayerTest extends ChannelLayerContract {
 *   protected ChannelLayer newLayer(LayerSpec spec) { ... }
 * }
 * }</pre>
 *
 * <p>Every wait is bounded by {@link #timeout()}; absence of a message is proven with a marker message
 * sent afterwards (the next receive must return the marker), never by waiting.
 */
public abstract class ChannelLayerContract extends GroupHistoryContract {

  private final List<ChannelLayer> opened = new ArrayList<>();

  /** For subclasses: one per layer implementation. */
  protected ChannelLayerContract() {}

  /** The spec {@link #layer} was made from (Channels' defaults). */
  protected LayerSpec spec;

  /** A layer with Channels' defaults, opened before each test and closed after it. */
  protected ChannelLayer layer;

  /**
   * Makes a new layer configured from {@code spec}. Called at least once per test; every layer made is
   * flushed and closed after the test.
   */
  protected abstract ChannelLayer newLayer(LayerSpec spec);

  /**
   * True (the default) if an unreceived message is dropped {@link LayerSpec#expiry()} after it was sent,
   * by the layer's clock.
   *
   * <p>False for a layer without message expiry (channels_redis's pub/sub layer). The contract for such
   * a layer: a message is kept until it is received, however far the clock moves; advancing the clock
   * past the expiry drops neither a queued message nor one sent to a receive that is waiting, and a
   * channel holding old messages still holds them (so at capacity it stays full, see {@link
   * #supportsCapacity}).
   */
  protected boolean supportsExpiry() {
    return true;
  }

  /**
   * True if a message expiring on a channel also removes that channel from all its groups (Channels'
   * in-memory layer); the default is {@link #supportsExpiry()}.
   *
   * <p>False for a layer where expiry only drops the message (channels_redis's core layer) or that has no
   * expiry at all. The contract for such a layer: after the message expires (or, without expiry, after
   * the clock moves past the expiry) the channel is still a member of every group it joined and receives
   * the next group send to each of them; an expired message itself is not received, an unexpired one is
   * received first.
   */
  protected boolean expiryRemovesFromGroups() {
    return supportsExpiry();
  }

  /**
   * True (the default) if a group membership lapses {@link LayerSpec#groupExpiry()} after the channel's
   * last {@code groupAdd} to that group, by the layer's clock.
   *
   * <p>False for a layer without group expiry (channels_redis's pub/sub layer). The contract for such a
   * layer: a membership lasts until {@code groupDiscard} or {@code flush}, however far the clock moves;
   * every member, however long ago it joined, receives every group send.
   */
  protected boolean supportsGroupExpiry() {
    return true;
  }

  /**
   * True (the default) if a send to a channel already holding its capacity ({@link
   * LayerSpec#capacity()}, or the matching {@link LayerSpec#channelCapacities()} entry) fails with {@link
   * ChannelFullException}, and a group send skips such a member.
   *
   * <p>False for a layer without capacity (channels_redis's pub/sub layer). The contract for such a
   * layer: a send never fails with {@link ChannelFullException}, however many messages the channel holds;
   * a channel holding more than {@code capacity} messages keeps all of them, and they are received in
   * the order sent; a group send reaches every member, including one holding {@code capacity} messages.
   */
  protected boolean supportsCapacity() {
    return true;
  }

  /**
   * True if {@link LayerSpec#channelCapacities()} patterns set the capacity of the channels they match
   * (the first match wins); the default is {@link #supportsCapacity()}.
   *
   * <p>False for a layer that ignores the patterns. The contract for such a layer: a channel a pattern
   * matches accepts more messages than the pattern's capacity (its capacity is {@link
   * LayerSpec#capacity()}, or none at all if {@link #supportsCapacity()} is false), and receives all of
   * them in order.
   */
  protected boolean supportsChannelCapacityPatterns() {
    return supportsCapacity();
  }

  /**
   * True (the default) if a message sent to a channel nobody has received on yet waits there for the
   * first receive (Channels' store-and-forward layers).
   *
   * <p>False for a layer on which such a message is lost (channels_redis's pub/sub layer: publishing to
   * a channel nobody subscribes to drops the message). The contract for such a layer: a send to a named
   * channel before anyone receives on it completes without failing and the message is never received;
   * once {@link #awaitReadyToReceive} has returned for the channel, every message sent to it is received,
   * in order. Such a layer must override {@link #awaitReadyToReceive}.
   */
  protected boolean keepsMessagesSentBeforeTheFirstReceive() {
    return true;
  }

  /**
   * Returns once every message sent to {@code channel} from now on is kept for its receivers. The
   * default does nothing, which is right for a layer that {@link #keepsMessagesSentBeforeTheFirstReceive
   * keeps messages sent before the first receive}; a pub/sub layer overrides it to subscribe {@code
   * channel} and wait until the subscription is in place.
   */
  protected void awaitReadyToReceive(ChannelLayer layer, String channel) {
    // a store-and-forward layer keeps the messages for the first receive
  }

  /** How many rounds the cancel-versus-send race runs (each costs about one send and one receive). */
  protected int raceRounds() {
    return 1000;
  }

  /** How long any single wait may take before the test fails. */
  protected Duration timeout() {
    return Duration.ofSeconds(5);
  }

  @BeforeEach
  void openDefaultLayer() {
    spec = LayerSpec.defaults();
    layer = open(spec);
  }

  @AfterEach
  void closeLayers() {
    List<ChannelLayer> layers = new ArrayList<>(opened);
    opened.clear();
    Collections.reverse(layers);
    for (ChannelLayer l : layers) {
      try {
        l.flush().toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // already closed, or the test broke it: closing is what matters
      }
      try {
        l.closeAsync().toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // best effort
      }
    }
  }

  /** Makes a layer from {@code spec} with {@link #newLayer}; it is flushed and closed after the test. */
  protected final ChannelLayer open(LayerSpec spec) {
    ChannelLayer l = newLayer(spec);
    assertThat(l).as("newLayer(%s)", spec).isNotNull();
    opened.add(l);
    return l;
  }

  /** Waits at most {@link #timeout()} for {@code stage} and returns its value; fails loudly otherwise. */
  protected final <T> T await(CompletionStage<T> stage) {
    assertThat(stage).as("a layer method returned null instead of a stage").isNotNull();
    try {
      return stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (TimeoutException e) {
      throw new AssertionError("the layer did not complete within " + timeout(), e);
    } catch (ExecutionException e) {
      throw new AssertionError("the layer operation failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * Runs {@code op}, which must fail through its returned stage (not by throwing), and returns the
   * failure's cause.
   */
  protected final Throwable failureOf(Supplier<? extends CompletionStage<?>> op) {
    CompletionStage<?> stage;
    try {
      stage = op.get();
    } catch (RuntimeException e) {
      throw new AssertionError(
          "layer methods must report failures through the returned stage, but this one threw " + e, e);
    }
    assertThat(stage).as("a layer method returned null instead of a stage").isNotNull();
    try {
      Object value = stage.toCompletableFuture().get(timeout().toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("expected the operation to fail, but it completed with " + value);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (TimeoutException e) {
      throw new AssertionError("expected the operation to fail within " + timeout() + ", but it is still pending", e);
    } catch (CancellationException e) {
      return e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      return cause;
    }
  }

  private static Message msg(String text) {
    return Message.of("test.message", "text", text);
  }

  /** Sends a marker to {@code channel} and asserts it is the next message there: nothing else is queued. */
  private void assertNothingQueued(ChannelLayer l, String channel) {
    Message marker = Message.of("test.marker", "channel", channel);
    await(l.send(channel, marker));
    assertThat(await(l.receive(channel))).as("next message on %s (expected only the marker)", channel).isEqualTo(marker);
  }

  /** Receives from {@code channel} messages with exactly these texts, in order, and then nothing else. */
  private void assertReceivedInOrder(ChannelLayer l, String channel, String... texts) {
    for (String text : texts) {
      assertThat(await(l.receive(channel)).getString("text")).as("next message on %s", channel).isEqualTo(text);
    }
    assertNothingQueued(l, channel);
  }

  /**
   * Receives the texts of the next {@code n} messages on {@code channel}. For checks where a direct send
   * and a group send meet: on a sharded pub/sub layer they travel different servers, so their relative
   * order is not part of the contract.
   */
  private List<String> receiveTexts(ChannelLayer l, String channel, int n) {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      texts.add(await(l.receive(channel)).getString("text"));
    }
    return texts;
  }

  private String newChannel(ChannelLayer l) {
    return await(l.newChannel("test"));
  }

  // ---------------------------------------------------------------- send and receive

  @Test
  void sendThenReceiveRoundTrip() {
    String ch = newChannel(layer);
    Message m = msg("hello");
    await(layer.send(ch, m));
    assertThat(await(layer.receive(ch))).isEqualTo(m);
  }

  @Test
  void aSendToANamedChannelBeforeItsFirstReceiveIsKeptOrLostAsTheLayerDocuments() {
    String ch = "test.worker-tasks_1";
    Message early = msg("sent before anyone received");
    await(layer.send(ch, early));
    if (keepsMessagesSentBeforeTheFirstReceive()) {
      assertThat(await(layer.receive(ch))).isEqualTo(early);
    }
    awaitReadyToReceive(layer, ch);
    Message m = msg("to a worker");
    await(layer.send(ch, m));
    assertThat(await(layer.receive(ch))).as("the early message must be %s",
        keepsMessagesSentBeforeTheFirstReceive() ? "received first" : "lost").isEqualTo(m);
    assertNothingQueued(layer, ch);
  }

  @Test
  void messagesOnOneChannelArriveInOrder() {
    String ch = newChannel(layer);
    for (int i = 0; i < 50; i++) {
      await(layer.send(ch, msg("m" + i)));
    }
    for (int i = 0; i < 50; i++) {
      assertThat(await(layer.receive(ch)).getString("text")).isEqualTo("m" + i);
    }
  }

  @Test
  void receivePendingBeforeSendCompletesWithTheMessage() {
    String ch = newChannel(layer);
    CompletableFuture<Message> pending = layer.receive(ch).toCompletableFuture();
    assertThat(pending).as("receive on an empty channel must wait").isNotDone();
    Message m = msg("late");
    await(layer.send(ch, m));
    assertThat(await(pending)).isEqualTo(m);
  }

  @Test
  void channelsAreIndependent() {
    String a = newChannel(layer);
    String b = newChannel(layer);
    CompletableFuture<Message> onA = layer.receive(a).toCompletableFuture();
    Message forB = msg("for b");
    await(layer.send(b, forB));
    assertThat(await(layer.receive(b))).isEqualTo(forB);
    assertThat(onA).as("a receive on %s must not see %s's message", a, b).isNotDone();
    Message forA = msg("for a");
    await(layer.send(a, forA));
    assertThat(await(onA)).isEqualTo(forA);
  }

  @Test
  void everyValueTypeSurvivesTheLayer() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("list", Arrays.asList(1, "two", null, 3.5, Arrays.asList(true, false)));
    nested.put("empty", Map.of());
    Message m = Message.builder("test.types")
        .put("text", "héllo wörld ✓ 日本")
        .put("bytes", new byte[] {0, 1, 2, (byte) 0xff})
        .put("int", 42)
        .put("long", Long.MIN_VALUE)
        .put("uint64", BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE))
        .put("double", -1.25e300)
        .put("true", true)
        .put("null", null)
        .put("nested", nested)
        .build();
    String ch = newChannel(layer);
    await(layer.send(ch, m));
    assertThat(await(layer.receive(ch))).isEqualTo(m);
  }

  @Test
  void aOneMegabyteMessageIsCarried() {
    byte[] payload = new byte[1 << 20];
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) (i * 31);
    }
    Message m = Message.of("test.large", "bytes", payload, "text", "x".repeat(1 << 20));
    String ch = newChannel(layer);
    await(layer.send(ch, m));
    assertThat(await(layer.receive(ch))).isEqualTo(m);
  }

  // ---------------------------------------------------------------- new channels

  @Test
  void newChannelNamesAreUniqueValidProcessLocalAndPrefixed() {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      names.add(await(layer.newChannel("my.prefix")));
    }
    for (String name : names) {
      if (!name.startsWith("my.prefix.") || name.indexOf('!') != name.lastIndexOf('!') || !ChannelNames.isProcessLocal(name)) {
        fail("a new channel name must start with the prefix and a '.', and hold exactly one '!': " + name);
      }
      ChannelNames.requireValidChannelName(name);
    }
    assertThat(new HashSet<>(names)).as("distinct names").hasSize(names.size());
  }

  @Test
  void newChannelWithoutPrefixUsesSpecific() {
    String name = await(layer.newChannel());
    assertThat(name).startsWith("specific.");
    assertThat(ChannelNames.isProcessLocal(name)).isTrue();
    ChannelNames.requireValidChannelName(name);
  }

  @Test
  void newChannelRejectsABadPrefix() {
    for (String prefix : List.of("bad prefix", "two!bangs", "é")) {
      Throwable t = failureOf(() -> layer.newChannel(prefix));
      assertThat(t).as("newChannel(%s)", prefix).isInstanceOf(IllegalArgumentException.class);
      assertThat(t.getMessage()).contains(prefix);
    }
  }

  @Test
  void processLocalChannelsSharingAPrefixGetOnlyTheirOwnMessages() {
    String a = await(layer.newChannel("test.local"));
    String b = await(layer.newChannel("test.local"));
    assertThat(ChannelNames.nonLocalName(a)).isEqualTo(ChannelNames.nonLocalName(b));
    Message ma = msg("a");
    Message mb = msg("b");
    await(layer.send(a, ma));
    await(layer.send(b, mb));
    assertThat(await(layer.receive(b))).isEqualTo(mb);
    assertThat(await(layer.receive(a))).isEqualTo(ma);
    assertNothingQueued(layer, a);
    assertNothingQueued(layer, b);
  }

  // ---------------------------------------------------------------- groups

  @Test
  void groupSendReachesEveryMemberAndNobodyElse() {
    List<String> members = List.of(newChannel(layer), newChannel(layer), newChannel(layer));
    String outsider = newChannel(layer);
    for (String c : members) {
      await(layer.groupAdd("test.room", c));
    }
    await(layer.groupAdd("test.other-room", outsider));
    Message m = msg("to the room");
    await(layer.groupSend("test.room", m));
    for (String c : members) {
      assertThat(await(layer.receive(c))).as("member %s", c).isEqualTo(m);
    }
    assertNothingQueued(layer, outsider);
  }

  @Test
  void groupSendKeepsOrderPerMember() {
    String a = newChannel(layer);
    await(layer.groupAdd("test.ordered", a));
    for (int i = 0; i < 20; i++) {
      await(layer.groupSend("test.ordered", msg("g" + i)));
    }
    for (int i = 0; i < 20; i++) {
      assertThat(await(layer.receive(a)).getString("text")).isEqualTo("g" + i);
    }
  }

  @Test
  void groupSendCompletesAPendingReceive() {
    String a = newChannel(layer);
    await(layer.groupAdd("test.pending", a));
    CompletableFuture<Message> pending = layer.receive(a).toCompletableFuture();
    Message m = msg("to a waiting member");
    await(layer.groupSend("test.pending", m));
    assertThat(await(pending)).isEqualTo(m);
  }

  @Test
  void groupAddIsIdempotent() {
    String a = newChannel(layer);
    await(layer.groupAdd("test.twice", a));
    await(layer.groupAdd("test.twice", a));
    Message m = msg("once");
    await(layer.groupSend("test.twice", m));
    assertThat(await(layer.receive(a))).isEqualTo(m);
    assertNothingQueued(layer, a);
  }

  @Test
  void groupDiscardIsANoOpWhenAbsent() {
    String a = newChannel(layer);
    String b = newChannel(layer);
    await(layer.groupDiscard("test.never-created", a));
    await(layer.groupAdd("test.room", b));
    await(layer.groupDiscard("test.room", a));
    Message m = msg("b is still in");
    await(layer.groupSend("test.room", m));
    assertThat(await(layer.receive(b))).isEqualTo(m);
    assertNothingQueued(layer, a);
  }

  @Test
  void groupDiscardStopsDelivery() {
    String a = newChannel(layer);
    String b = newChannel(layer);
    await(layer.groupAdd("test.room", a));
    await(layer.groupAdd("test.room", b));
    await(layer.groupDiscard("test.room", a));
    await(layer.groupDiscard("test.room", a));
    Message m = msg("only b");
    await(layer.groupSend("test.room", m));
    assertThat(await(layer.receive(b))).isEqualTo(m);
    assertNothingQueued(layer, a);
  }

  @Test
  void groupSendToAnEmptyOrUnknownGroupCompletes() {
    await(layer.groupSend("test.nobody-here", msg("void")));
    String a = newChannel(layer);
    await(layer.groupAdd("test.emptied", a));
    await(layer.groupDiscard("test.emptied", a));
    await(layer.groupSend("test.emptied", msg("void")));
    assertNothingQueued(layer, a);
  }

  @Test
  void aChannelCanBeInSeveralGroups() {
    String a = newChannel(layer);
    await(layer.groupAdd("test.g1", a));
    await(layer.groupAdd("test.g2", a));
    Message m1 = msg("via g1");
    Message m2 = msg("via g2");
    await(layer.groupSend("test.g1", m1));
    await(layer.groupSend("test.g2", m2));
    assertThat(await(layer.receive(a))).isEqualTo(m1);
    assertThat(await(layer.receive(a))).isEqualTo(m2);
  }

  // ---------------------------------------------------------------- capacity

  @Test
  void aSendBeyondCapacityFailsNamingTheChannelOrIsKeptWithoutCapacity() {
    ChannelLayer l = open(LayerSpec.builder().capacity(3).build());
    String ch = newChannel(l);
    for (int i = 0; i < 3; i++) {
      await(l.send(ch, msg("m" + i)));
    }
    if (!supportsCapacity()) {
      for (int i = 3; i < 10; i++) {
        await(l.send(ch, msg("m" + i)));
      }
      assertReceivedInOrder(l, ch, "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
      return;
    }
    Throwable t = failureOf(() -> l.send(ch, msg("one too many")));
    assertThat(t).isInstanceOf(ChannelFullException.class).hasMessageContaining(ch);
    assertThat(((ChannelFullException) t).channel()).isEqualTo(ch);
    assertThat(await(l.receive(ch)).getString("text")).isEqualTo("m0");
    await(l.send(ch, msg("m3")));
    for (int i = 1; i <= 3; i++) {
      assertThat(await(l.receive(ch)).getString("text")).isEqualTo("m" + i);
    }
  }

  @Test
  void groupSendSkipsAFullMemberOrReachesItWithoutCapacity() {
    ChannelLayer l = open(LayerSpec.builder().capacity(2).build());
    // named channels: process-local channels of one layer may share their capacity (Redis: per non-local name)
    String full = "test.full-member";
    String free = "test.free-member";
    await(l.groupAdd("test.room", full));
    await(l.groupAdd("test.room", free));
    await(l.send(full, msg("f0")));
    await(l.send(full, msg("f1")));
    Message m = msg("broadcast");
    await(l.groupSend("test.room", m));
    assertThat(await(l.receive(free))).isEqualTo(m);
    if (supportsCapacity()) {
      assertThat(await(l.receive(full)).getString("text")).isEqualTo("f0");
      assertThat(await(l.receive(full)).getString("text")).isEqualTo("f1");
    } else {
      List<String> got = receiveTexts(l, full, 3);
      assertThat(got).as("a member holding 'capacity' messages on a layer without capacity gets the group send too")
          .containsExactlyInAnyOrder("f0", "f1", "broadcast");
      assertThat(got.indexOf("f0")).as("order of the direct sends in %s", got).isLessThan(got.indexOf("f1"));
    }
    assertNothingQueued(l, full);
  }

  /**
   * Sends {@code text} to {@code channel}, which already holds its pattern's capacity: the send fails
   * with {@link ChannelFullException} if the layer applies capacity patterns, else it is kept.
   */
  private void sendBeyondPatternCapacity(ChannelLayer l, String channel, String text) {
    if (supportsChannelCapacityPatterns()) {
      assertThat(failureOf(() -> l.send(channel, msg(text)))).as("send beyond the pattern's capacity to %s", channel)
          .isInstanceOf(ChannelFullException.class);
    } else {
      await(l.send(channel, msg(text)));
    }
  }

  /** The texts {@link #sendBeyondPatternCapacity} left on the channel: all of them if patterns are ignored. */
  private String[] keptBeyondPatternCapacity(String[] withinCapacity, String beyond) {
    if (supportsChannelCapacityPatterns()) {
      return withinCapacity;
    }
    String[] all = Arrays.copyOf(withinCapacity, withinCapacity.length + 1);
    all[withinCapacity.length] = beyond;
    return all;
  }

  @Test
  void channelCapacityGlobMatchesTheFullNameOrIsIgnored() {
    ChannelLayer l = open(LayerSpec.builder().capacity(100).channelCapacity("http.response*!*", 2).build());
    String response = await(l.newChannel("http.response"));
    await(l.send(response, msg("1")));
    await(l.send(response, msg("2")));
    sendBeyondPatternCapacity(l, response, "3");
    assertReceivedInOrder(l, response, keptBeyondPatternCapacity(new String[] {"1", "2"}, "3"));
    String other = await(l.newChannel("http.request"));
    for (int i = 0; i < 3; i++) {
      await(l.send(other, msg("o" + i)));
    }
    assertReceivedInOrder(l, other, "o0", "o1", "o2");
  }

  @Test
  void channelCapacityGlobSeesTheLocalPartOrIsIgnored() {
    ChannelLayer l = open(LayerSpec.builder().capacity(100).channelCapacity("test.cap!a?c", 1).build());
    awaitReadyToReceive(l, "test.cap!abc");
    awaitReadyToReceive(l, "test.nocap!abcd");
    await(l.send("test.cap!abc", msg("1")));
    sendBeyondPatternCapacity(l, "test.cap!abc", "2");
    await(l.send("test.nocap!abcd", msg("1")));
    await(l.send("test.nocap!abcd", msg("2")));
    if (!supportsChannelCapacityPatterns()) {
      // (a layer may only receive process-local channels it made; one that ignores the patterns shows it keeps all)
      assertReceivedInOrder(l, "test.cap!abc", "1", "2");
      assertReceivedInOrder(l, "test.nocap!abcd", "1", "2");
    }
  }

  @Test
  void channelCapacityRegexAndFirstMatchWinsOrIsIgnored() {
    ChannelLayer l = open(LayerSpec.builder()
        .capacity(100)
        .channelCapacity(Pattern.compile("test\\.regex\\.one"), 1)
        .channelCapacity("test.regex.*", 3)
        .build());
    for (String ch : List.of("test.regex.one", "test.regex.two", "test.plain")) {
      awaitReadyToReceive(l, ch);
    }
    await(l.send("test.regex.one", msg("1")));
    sendBeyondPatternCapacity(l, "test.regex.one", "2");
    for (int i = 0; i < 3; i++) {
      await(l.send("test.regex.two", msg("t" + i)));
    }
    sendBeyondPatternCapacity(l, "test.regex.two", "t3");
    for (int i = 0; i < 4; i++) {
      await(l.send("test.plain", msg("p" + i)));
    }
    assertReceivedInOrder(l, "test.regex.one", keptBeyondPatternCapacity(new String[] {"1"}, "2"));
    assertReceivedInOrder(l, "test.regex.two", keptBeyondPatternCapacity(new String[] {"t0", "t1", "t2"}, "t3"));
    assertReceivedInOrder(l, "test.plain", "p0", "p1", "p2", "p3");
  }

  // ---------------------------------------------------------------- expiry

  @Test
  void messagesExpireAfterExpiryOnTheLayersClockOrAreKeptWithoutExpiry() {
    LayerSpec s = LayerSpec.builder().expiry(Duration.ofSeconds(10)).build();
    ChannelLayer l = open(s);
    String ch = newChannel(l);
    await(l.send(ch, msg("kept")));
    s.clock().advance(Duration.ofSeconds(9));
    assertThat(await(l.receive(ch)).getString("text")).isEqualTo("kept");
    await(l.send(ch, msg("expired")));
    s.clock().advance(Duration.ofSeconds(12));
    await(l.send(ch, msg("fresh")));
    if (supportsExpiry()) {
      assertReceivedInOrder(l, ch, "fresh");
      return;
    }
    assertReceivedInOrder(l, ch, "expired", "fresh");
    CompletableFuture<Message> waiting = l.receive(ch).toCompletableFuture();
    s.clock().advance(Duration.ofSeconds(1000));
    Message m = msg("to a receive that waited past the expiry");
    await(l.send(ch, m));
    assertThat(await(waiting)).isEqualTo(m);
  }

  @Test
  void expiredMessagesFreeCapacityUnexpiredOnesKeepIt() {
    LayerSpec s = LayerSpec.builder().expiry(Duration.ofSeconds(10)).capacity(2).build();
    ChannelLayer l = open(s);
    String ch = newChannel(l);
    await(l.send(ch, msg("old1")));
    await(l.send(ch, msg("old2")));
    s.clock().advance(Duration.ofSeconds(12));
    if (supportsExpiry()) {
      await(l.send(ch, msg("new1")));
      await(l.send(ch, msg("new2")));
      assertReceivedInOrder(l, ch, "new1", "new2");
    } else if (supportsCapacity()) {
      assertThat(failureOf(() -> l.send(ch, msg("new1")))).as("unexpired messages keep the channel full")
          .isInstanceOf(ChannelFullException.class);
      assertReceivedInOrder(l, ch, "old1", "old2");
    } else {
      await(l.send(ch, msg("new1")));
      await(l.send(ch, msg("new2")));
      assertReceivedInOrder(l, ch, "old1", "old2", "new1", "new2");
    }
  }

  @Test
  void anExpiredMessageRemovesItsChannelFromGroupsOrItStaysAMember() {
    LayerSpec s = LayerSpec.builder().expiry(Duration.ofSeconds(10)).build();
    ChannelLayer l = open(s);
    String stale = newChannel(l);
    String live = newChannel(l);
    await(l.groupAdd("test.room", stale));
    await(l.groupAdd("test.room", live));
    await(l.groupAdd("test.other", stale));
    await(l.send(stale, msg("never received")));
    s.clock().advance(Duration.ofSeconds(12));
    Message m = msg("after expiry");
    await(l.groupSend("test.room", m));
    assertThat(await(l.receive(live))).isEqualTo(m);
    if (expiryRemovesFromGroups()) {
      assertNothingQueued(l, stale);
      await(l.groupSend("test.other", msg("also gone from the other group")));
      assertNothingQueued(l, stale);
      return;
    }
    if (supportsExpiry()) {
      assertThat(await(l.receive(stale))).as("the channel is still a member of test.room").isEqualTo(m);
    } else {
      assertThat(receiveTexts(l, stale, 2)).as("without expiry the old message is kept, and the channel is still a "
          + "member of test.room").containsExactlyInAnyOrder("never received", "after expiry");
    }
    Message other = msg("still in the other group");
    await(l.groupSend("test.other", other));
    assertThat(await(l.receive(stale))).as("the channel is still a member of test.other").isEqualTo(other);
    assertNothingQueued(l, stale);
  }

  @Test
  void anExpiryFoundByReceiveAlsoRemovesTheChannelFromGroupsOrItStaysAMember() {
    LayerSpec s = LayerSpec.builder().expiry(Duration.ofSeconds(10)).build();
    ChannelLayer l = open(s);
    String stale = newChannel(l);
    await(l.groupAdd("test.room", stale));
    await(l.send(stale, msg("never received")));
    s.clock().advance(Duration.ofSeconds(12));
    CompletableFuture<Message> pending = l.receive(stale).toCompletableFuture();
    if (!supportsExpiry()) {
      assertThat(await(pending).getString("text")).as("without expiry the old message is kept")
          .isEqualTo("never received");
      pending = l.receive(stale).toCompletableFuture();
    }
    if (expiryRemovesFromGroups()) {
      await(l.groupSend("test.room", msg("not for a kicked channel")));
      Message marker = msg("direct");
      await(l.send(stale, marker));
      assertThat(await(pending)).isEqualTo(marker);
    } else {
      Message g = msg("for a channel still a member");
      await(l.groupSend("test.room", g));
      assertThat(await(pending)).as("the channel is still a member of test.room").isEqualTo(g);
    }
    assertNothingQueued(l, stale);
  }

  @Test
  void groupMembershipsLapseAfterGroupExpiryOrLastWithoutIt() {
    LayerSpec s = LayerSpec.builder().groupExpiry(Duration.ofSeconds(100)).build();
    ChannelLayer l = open(s);
    String early = newChannel(l);
    String late = newChannel(l);
    String refreshed = newChannel(l);
    await(l.groupAdd("test.room", early));
    await(l.groupAdd("test.room", refreshed));
    s.clock().advance(Duration.ofSeconds(60));
    await(l.groupAdd("test.room", late));
    await(l.groupAdd("test.room", refreshed));
    s.clock().advance(Duration.ofSeconds(50));
    Message m = msg("110 s after the first joins");
    await(l.groupSend("test.room", m));
    assertThat(await(l.receive(late))).isEqualTo(m);
    assertThat(await(l.receive(refreshed))).isEqualTo(m);
    if (!supportsGroupExpiry()) {
      assertThat(await(l.receive(early))).as("without group expiry the first member stays").isEqualTo(m);
    }
    assertNothingQueued(l, early);
  }

  @Test
  void groupMembershipIsKeptUntilGroupExpiryOrForeverWithoutIt() {
    LayerSpec s = LayerSpec.builder().groupExpiry(Duration.ofSeconds(100)).build();
    ChannelLayer l = open(s);
    String a = newChannel(l);
    await(l.groupAdd("test.room", a));
    s.clock().advance(Duration.ofSeconds(99));
    Message m = msg("still a member");
    await(l.groupSend("test.room", m));
    assertThat(await(l.receive(a))).isEqualTo(m);
    if (!supportsGroupExpiry()) {
      s.clock().advance(Duration.ofDays(400));
      Message later = msg("a member 400 days later");
      await(l.groupSend("test.room", later));
      assertThat(await(l.receive(a))).isEqualTo(later);
    }
    assertNothingQueued(l, a);
  }

  // ---------------------------------------------------------------- flush

  @Test
  void flushDropsMessagesAndGroups() {
    String a = newChannel(layer);
    await(layer.send(a, msg("dropped")));
    await(layer.groupAdd("test.room", a));
    await(layer.flush());
    assertNothingQueued(layer, a);
    await(layer.groupSend("test.room", msg("no group any more")));
    assertNothingQueued(layer, a);
    Message m = msg("usable after flush");
    await(layer.groupAdd("test.room", a));
    await(layer.groupSend("test.room", m));
    assertThat(await(layer.receive(a))).isEqualTo(m);
  }

  // ---------------------------------------------------------------- names

  private static final String NAME_99 = "n".repeat(99);
  private static final String NAME_100 = "n".repeat(100);

  /** Channel names every layer must accept. */
  protected List<String> validChannelNames() {
    return List.of("a", "Z", "0", "test.chan-nel_9", NAME_99, "specific.abc!def", "specific.abc!",
        "x".repeat(50) + "!" + "y".repeat(48));
  }

  /** Channel names every layer must reject. */
  protected List<String> invalidChannelNames() {
    return List.of("", NAME_100, "has space", "tab\tname", "naïve", "日本", "two!bangs!here", "!leading",
        "slash/name", "question?", "x".repeat(50) + "!" + "y".repeat(49));
  }

  /** Group names every layer must accept. */
  protected List<String> validGroupNames() {
    return List.of("g", "chat_lobby", "Room-1.2_x", NAME_99);
  }

  /** Group names every layer must reject. */
  protected List<String> invalidGroupNames() {
    return List.of("", NAME_100, "has space", "bang!", "naïve", "日本", "slash/name");
  }

  @Test
  void validChannelNamesAreAccepted() {
    awaitReadyToReceive(layer, NAME_99);
    for (String name : validChannelNames()) {
      await(layer.send(name, msg("to " + name)));
      await(layer.groupAdd("test.names", name));
      await(layer.groupDiscard("test.names", name));
    }
    String local = "n".repeat(98);
    awaitReadyToReceive(layer, local);
    await(layer.send(local, msg("98")));
    assertThat(await(layer.receive(local)).getString("text")).isEqualTo("98");
    assertThat(await(layer.receive(NAME_99)).getString("text")).isEqualTo("to " + NAME_99);
  }

  @Test
  void invalidChannelNamesAreRejectedQuotingTheName() {
    Message m = msg("x");
    for (String name : invalidChannelNames()) {
      assertRejected("send(" + name + ")", name, () -> layer.send(name, m));
      assertRejected("receive(" + name + ")", name, () -> layer.receive(name));
      assertRejected("groupAdd(g, " + name + ")", name, () -> layer.groupAdd("test.g", name));
      assertRejected("groupDiscard(g, " + name + ")", name, () -> layer.groupDiscard("test.g", name));
    }
  }

  @Test
  void validGroupNamesAreAccepted() {
    String a = newChannel(layer);
    for (String group : validGroupNames()) {
      await(layer.groupAdd(group, a));
      Message m = msg("via " + group);
      await(layer.groupSend(group, m));
      assertThat(await(layer.receive(a))).isEqualTo(m);
      await(layer.groupDiscard(group, a));
    }
  }

  @Test
  void invalidGroupNamesAreRejectedQuotingTheName() {
    String a = newChannel(layer);
    Message m = msg("x");
    for (String group : invalidGroupNames()) {
      assertRejected("groupAdd(" + group + ")", group, () -> layer.groupAdd(group, a));
      assertRejected("groupDiscard(" + group + ")", group, () -> layer.groupDiscard(group, a));
      assertRejected("groupSend(" + group + ")", group, () -> layer.groupSend(group, m));
    }
  }

  private void assertRejected(String what, String name, Supplier<? extends CompletionStage<?>> op) {
    Throwable t = failureOf(op);
    assertThat(t).as(what).isInstanceOf(IllegalArgumentException.class);
    assertThat(t.getMessage()).as(what).contains("'" + name + "'");
  }

  // ---------------------------------------------------------------- cancellation and concurrency

  @Test
  void cancellingAPendingReceiveLosesNoMessage() {
    String ch = newChannel(layer);
    CompletableFuture<Message> pending = layer.receive(ch).toCompletableFuture();
    assertThat(pending.cancel(true)).isTrue();
    Message m = msg("after cancel");
    await(layer.send(ch, m));
    assertThat(await(layer.receive(ch))).isEqualTo(m);
  }

  @Test
  void cancellingAReceiveWhileMessagesArriveLosesNone() throws Exception {
    String ch = newChannel(layer);
    int rounds = raceRounds();
    ExecutorService sender = Executors.newSingleThreadExecutor();
    try {
      List<String> got = new ArrayList<>();
      for (int i = 0; i < rounds; i++) {
        CompletableFuture<Message> pending = layer.receive(ch).toCompletableFuture();
        CountDownLatch go = new CountDownLatch(1);
        String text = "r" + i;
        Future<?> sent = sender.submit(() -> {
          go.await();
          return await(layer.send(ch, msg(text)));
        });
        go.countDown();
        // jitter, not synchronisation: lands the cancel at a different point of the send each round
        long until = System.nanoTime() + (i % 50) * 2_000L;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        boolean cancelled = pending.cancel(true);
        sent.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
        Message m = cancelled ? await(layer.receive(ch)) : await(pending);
        got.add(m.getString("text"));
      }
      for (int i = 0; i < rounds; i++) {
        assertThat(got.get(i)).isEqualTo("r" + i);
      }
      assertNothingQueued(layer, ch);
    } finally {
      sender.shutdownNow();
    }
  }

  @Test
  void concurrentSendersLoseNothingAndKeepTheirOwnOrder() throws Exception {
    int senders = 4;
    int each = 250;
    ChannelLayer l = open(LayerSpec.builder().capacity(senders * each).build());
    String ch = newChannel(l);
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int id = s;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < each; i++) {
            await(l.send(ch, Message.of("test.seq", "sender", id, "seq", i)));
          }
          return null;
        }));
      }
      start.countDown();
      int[] next = new int[senders];
      for (int n = 0; n < senders * each; n++) {
        Message m = await(l.receive(ch));
        int id = m.getInt("sender", -1);
        assertThat(m.getInt("seq", -1)).as("sender %d's order", id).isEqualTo(next[id]);
        next[id]++;
      }
      for (Future<?> f : done) {
        f.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
      assertThat(next).containsOnly(each);
      assertNothingQueued(l, ch);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentGroupSendersReachEveryMember() throws Exception {
    int senders = 3;
    int each = 50;
    ChannelLayer l = open(LayerSpec.builder().capacity(senders * each).build());
    List<String> members = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      members.add(newChannel(l));
      await(l.groupAdd("test.busy", members.get(i)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        int id = s;
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            await(l.groupSend("test.busy", Message.of("test.seq", "sender", id, "seq", i)));
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
      }
      for (String c : members) {
        int[] next = new int[senders];
        for (int n = 0; n < senders * each; n++) {
          Message m = await(l.receive(c));
          int id = m.getInt("sender", -1);
          assertThat(m.getInt("seq", -1)).as("%s: sender %d's order", c, id).isEqualTo(next[id]);
          next[id]++;
        }
        assertNothingQueued(l, c);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- close

  @Test
  void closeAsyncFailsPendingReceivesAndCompletes() {
    ChannelLayer l = open(LayerSpec.defaults());
    String ch = newChannel(l);
    CompletableFuture<Message> pending = l.receive(ch).toCompletableFuture();
    await(l.closeAsync());
    try {
      Message m = pending.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
      fail("a receive pending at close must fail, but it completed with " + m);
    } catch (ExecutionException | CancellationException e) {
      // expected
    } catch (TimeoutException e) {
      fail("a receive pending at close must fail, but it is still pending");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted");
    }
    await(l.closeAsync());
  }

  @Test
  void closeIsIdempotentAndBlocking() {
    ChannelLayer l = open(LayerSpec.defaults());
    l.close();
    l.close();
  }
}
