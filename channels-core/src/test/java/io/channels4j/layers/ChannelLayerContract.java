package io.channels4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * capacity nor expiry) overrides the matching {@code supports...} hook, and the cases it cannot pass are
 * then reported as skipped, with the reason, rather than silently absent.
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
public abstract class ChannelLayerContract {

  private final List<ChannelLayer> opened = new ArrayList<>();

  /** The spec {@link #layer} was made from (Channels' defaults). */
  protected LayerSpec spec;

  /** A layer with Channels' defaults, opened before each test and closed after it. */
  protected ChannelLayer layer;

  /**
   * Makes a new layer configured from {@code spec}. Called at least once per test; every layer made is
   * flushed and closed after the test.
   */
  protected abstract ChannelLayer newLayer(LayerSpec spec);

  /** False if the layer does not expire messages (by {@link LayerSpec#expiry()} on its clock). */
  protected boolean supportsExpiry() {
    return true;
  }

  /** False if a message expiring on a channel does not remove that channel from its groups. */
  protected boolean expiryRemovesFromGroups() {
    return supportsExpiry();
  }

  /** False if group memberships do not lapse {@link LayerSpec#groupExpiry()} after the last add. */
  protected boolean supportsGroupExpiry() {
    return true;
  }

  /** False if channels have no capacity (sends never fail with {@link ChannelFullException}). */
  protected boolean supportsCapacity() {
    return true;
  }

  /** False if the layer ignores {@link LayerSpec#channelCapacities()}. */
  protected boolean supportsChannelCapacityPatterns() {
    return supportsCapacity();
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
  void sendThenReceiveOnANamedChannel() {
    Message m = msg("to a worker");
    await(layer.send("test.worker-tasks_1", m));
    assertThat(await(layer.receive("test.worker-tasks_1"))).isEqualTo(m);
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
  void sendToAFullChannelFailsNamingTheChannel() {
    assumeTrue(supportsCapacity(), "this layer has no channel capacity");
    ChannelLayer l = open(LayerSpec.builder().capacity(3).build());
    String ch = newChannel(l);
    for (int i = 0; i < 3; i++) {
      await(l.send(ch, msg("m" + i)));
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
  void groupSendSkipsAFullMemberAndDeliversToTheOthers() {
    assumeTrue(supportsCapacity(), "this layer has no channel capacity");
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
    assertThat(await(l.receive(full)).getString("text")).isEqualTo("f0");
    assertThat(await(l.receive(full)).getString("text")).isEqualTo("f1");
    assertNothingQueued(l, full);
  }

  @Test
  void channelCapacityGlobMatchesTheFullName() {
    assumeTrue(supportsChannelCapacityPatterns(), "this layer has no per-channel capacity patterns");
    ChannelLayer l = open(LayerSpec.builder().capacity(100).channelCapacity("http.response*!*", 2).build());
    String response = await(l.newChannel("http.response"));
    await(l.send(response, msg("1")));
    await(l.send(response, msg("2")));
    assertThat(failureOf(() -> l.send(response, msg("3")))).isInstanceOf(ChannelFullException.class);
    String other = await(l.newChannel("http.request"));
    for (int i = 0; i < 3; i++) {
      await(l.send(other, msg("o" + i)));
    }
  }

  @Test
  void channelCapacityGlobSeesTheLocalPart() {
    assumeTrue(supportsChannelCapacityPatterns(), "this layer has no per-channel capacity patterns");
    ChannelLayer l = open(LayerSpec.builder().capacity(100).channelCapacity("test.cap!a?c", 1).build());
    await(l.send("test.cap!abc", msg("1")));
    assertThat(failureOf(() -> l.send("test.cap!abc", msg("2")))).isInstanceOf(ChannelFullException.class);
    await(l.send("test.nocap!abcd", msg("1")));
    await(l.send("test.nocap!abcd", msg("2")));
  }

  @Test
  void channelCapacityRegexAndFirstMatchWins() {
    assumeTrue(supportsChannelCapacityPatterns(), "this layer has no per-channel capacity patterns");
    ChannelLayer l = open(LayerSpec.builder()
        .capacity(100)
        .channelCapacity(Pattern.compile("test\\.regex\\.one"), 1)
        .channelCapacity("test.regex.*", 3)
        .build());
    await(l.send("test.regex.one", msg("1")));
    assertThat(failureOf(() -> l.send("test.regex.one", msg("2")))).isInstanceOf(ChannelFullException.class);
    for (int i = 0; i < 3; i++) {
      await(l.send("test.regex.two", msg("t" + i)));
    }
    assertThat(failureOf(() -> l.send("test.regex.two", msg("t3")))).isInstanceOf(ChannelFullException.class);
    for (int i = 0; i < 4; i++) {
      await(l.send("test.plain", msg("p" + i)));
    }
  }

  // ---------------------------------------------------------------- expiry

  @Test
  void messagesExpireAfterExpiryOnTheLayersClock() {
    assumeTrue(supportsExpiry(), "this layer does not expire messages");
    LayerSpec s = LayerSpec.builder().expiry(Duration.ofSeconds(10)).build();
    ChannelLayer l = open(s);
    String ch = newChannel(l);
    await(l.send(ch, msg("kept")));
    s.clock().advance(Duration.ofSeconds(9));
    assertThat(await(l.receive(ch)).getString("text")).isEqualTo("kept");
    await(l.send(ch, msg("expired")));
    s.clock().advance(Duration.ofSeconds(12));
    await(l.send(ch, msg("fresh")));
    assertThat(await(l.receive(ch)).getString("text")).isEqualTo("fresh");
  }

  @Test
  void expiredMessagesFreeCapacity() {
    assumeTrue(supportsExpiry() && supportsCapacity(), "this layer lacks expiry or capacity");
    LayerSpec s = LayerSpec.builder().expiry(Duration.ofSeconds(10)).capacity(2).build();
    ChannelLayer l = open(s);
    String ch = newChannel(l);
    await(l.send(ch, msg("old1")));
    await(l.send(ch, msg("old2")));
    s.clock().advance(Duration.ofSeconds(12));
    await(l.send(ch, msg("new1")));
    await(l.send(ch, msg("new2")));
    assertThat(await(l.receive(ch)).getString("text")).isEqualTo("new1");
    assertThat(await(l.receive(ch)).getString("text")).isEqualTo("new2");
  }

  @Test
  void anExpiredMessageRemovesItsChannelFromGroups() {
    assumeTrue(expiryRemovesFromGroups(), "on this layer expiry does not remove a channel from its groups");
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
    assertNothingQueued(l, stale);
    await(l.groupSend("test.other", msg("also gone from the other group")));
    assertNothingQueued(l, stale);
  }

  @Test
  void anExpiryFoundByReceiveAlsoRemovesTheChannelFromGroups() {
    assumeTrue(expiryRemovesFromGroups(), "on this layer expiry does not remove a channel from its groups");
    LayerSpec s = LayerSpec.builder().expiry(Duration.ofSeconds(10)).build();
    ChannelLayer l = open(s);
    String stale = newChannel(l);
    await(l.groupAdd("test.room", stale));
    await(l.send(stale, msg("never received")));
    s.clock().advance(Duration.ofSeconds(12));
    CompletableFuture<Message> pending = l.receive(stale).toCompletableFuture();
    await(l.groupSend("test.room", msg("not for a kicked channel")));
    Message marker = msg("direct");
    await(l.send(stale, marker));
    assertThat(await(pending)).isEqualTo(marker);
  }

  @Test
  void groupMembershipsLapseAfterGroupExpiry() {
    assumeTrue(supportsGroupExpiry(), "this layer does not expire group memberships");
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
    assertNothingQueued(l, early);
  }

  @Test
  void groupMembershipIsKeptUntilGroupExpiry() {
    assumeTrue(supportsGroupExpiry(), "this layer does not expire group memberships");
    LayerSpec s = LayerSpec.builder().groupExpiry(Duration.ofSeconds(100)).build();
    ChannelLayer l = open(s);
    String a = newChannel(l);
    await(l.groupAdd("test.room", a));
    s.clock().advance(Duration.ofSeconds(99));
    Message m = msg("still a member");
    await(l.groupSend("test.room", m));
    assertThat(await(l.receive(a))).isEqualTo(m);
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
    for (String name : validChannelNames()) {
      await(layer.send(name, msg("to " + name)));
      await(layer.groupAdd("test.names", name));
      await(layer.groupDiscard("test.names", name));
    }
    String local = "n".repeat(98);
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
