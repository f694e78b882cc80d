package io.channels4j.layers;

import io.channels4j.Message;
import io.channels4j.internal.ChannelCapacities;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A channel layer inside one JVM: the Java form of Channels' {@code InMemoryChannelLayer}, with the same
 * options and semantics. For tests, development and single-process deployments; messages never leave
 * the process.
 *
 * <ul>
 *   <li><b>Capacity</b> (default 100) limits the unreceived messages of each channel; {@link
 *       Builder#channelCapacity(String, int) channel capacity patterns} override it per channel, the
 *       first matching pattern winning, matched on the full channel name. {@link #send} to a full
 *       channel fails with {@link ChannelFullException}; {@link #groupSend} skips full members (logged at
 *       debug).
 *   <li><b>Expiry</b> (default 60 s): a message not received in time is dropped, and its channel leaves
 *       every group it was in. <b>Group expiry</b> (default 86,400 s): a membership lapses that long
 *       after its last {@link #groupAdd}. Both are read from the layer's {@link Clock} and applied when
 *       the channel or group is next used.
 *   <li>Messages are immutable, so they are shared, never copied: a group send to 10,000 members stores
 *       one message 10,000 times by reference.
 * </ul>
 *
 * <p>Costs: {@link #send} and {@link #receive} are O(1), {@link #groupSend} is O(members of the group),
 * whatever the number of other channels and groups. Each channel has its own lock; futures are
 * completed outside locks, so callbacks on a receive run on the sending thread without holding any
 * lock. A channel with no messages, no receiver and no group is forgotten. Cancelling a pending receive
 * withdraws it without losing a message.
 *
 * <pre>{@code
 * ChannelLayer layer = InMemoryChannelLayer.builder()
 *     .capacity(1000)
 *     .channelCapacity("http.response*!*", 10)
 *     .build();
 * ChannelLayers.set(ChannelLayers.DEFAULT, layer);
 * }</pre>
 */
public final class InMemoryChannelLayer implements ChannelLayer {

  /** Channels' default message expiry. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofSeconds(60);
  /** Channels' default group membership expiry. */
  public static final Duration DEFAULT_GROUP_EXPIRY = Duration.ofSeconds(86_400);
  /** Channels' default channel capacity. */
  public static final int DEFAULT_CAPACITY = 100;

  private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);
  private static final char[] LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

  private final Clock clock;
  private final GroupHistories histories;
  private final long expiryMillis;
  private final long groupExpiryMillis;
  private final int capacity;
  private final ChannelCapacities capacities;
  private final ConcurrentHashMap<String, ChannelQueue> channels = new ConcurrentHashMap<>();
  private final GroupTable groups;
  private volatile boolean closed;

  private InMemoryChannelLayer(Builder b) {
    this.clock = b.clock;
    this.histories = new GroupHistories(b.clock);
    this.expiryMillis = saturatedMillis(b.expiry);
    this.groupExpiryMillis = saturatedMillis(b.groupExpiry);
    this.capacity = b.capacity;
    this.capacities = b.capacities.copy();
    this.groups = new GroupTable(this::queueFor, groupExpiryMillis);
  }

  /** {@return a layer with Channels' defaults: expiry 60 s, group expiry 86,400 s, capacity 100, system clock} */
  public static InMemoryChannelLayer create() {
    return builder().build();
  }

  /**
   * A builder starting from Channels' defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------------ API

  @Override
  public CompletionStage<Void> send(String channel, Message message) {
    if (message == null) {
      return CompletableFuture.failedStage(new NullPointerException("message"));
    }
    ChannelQueue known = known(channel);
    if (known == null || closed) {
      CompletionStage<Void> refused = Refusals.channel(channel, known != null, false, closed);
      if (refused != null) {
        return refused;
      }
    }
    long now = clock.millis();
    long expiresAt = now + expiryMillis;
    while (true) {
      ChannelQueue ch = known != null ? known : queueFor(channel);
      known = null;
      PendingReceive receiver;
      GroupTable.Member[] kicked = null;
      synchronized (ch) {
        if (ch.removed) {
          continue;
        }
        if (ch.headExpired(now)) {
          kicked = ch.dropExpired(now);
        }
        receiver = ch.offer(message, expiresAt);
      }
      if (kicked != null) {
        groups.unlink(kicked);
      }
      if (receiver == ChannelQueue.FULL) {
        return CompletableFuture.failedStage(new ChannelFullException(channel, ch.capacity));
      }
      if (receiver == null || receiver.deliver(message)) {
        return DONE;
      }
      // the receiver was cancelled after we took it: offer the message again
    }
  }

  @Override
  public CompletionStage<Message> receive(String channel) {
    ChannelQueue known = known(channel);
    if (known == null || closed) {
      CompletionStage<Message> refused = Refusals.channel(channel, known != null, true, closed);
      if (refused != null) {
        return refused;
      }
    }
    while (true) {
      ChannelQueue ch = known != null ? known : queueFor(channel);
      known = null;
      GroupTable.Member[] kicked = null;
      Message message = null;
      PendingReceive pending = null;
      boolean closedNow = false;
      synchronized (ch) {
        if (ch.removed) {
          continue;
        }
        if (ch.size > 0) {
          long now = clock.millis();
          if (ch.headExpired(now)) {
            kicked = ch.dropExpired(now);
          }
        }
        if (ch.size > 0) {
          message = ch.poll();
          ch.removeIfIdle();
        } else if (closed) {
          closedNow = true;
          ch.removeIfIdle();
        } else {
          pending = new PendingReceive(ch);
          ch.addReceiver(pending);
        }
      }
      if (kicked != null) {
        groups.unlink(kicked);
      }
      if (closedNow) {
        return Refusals.closed();
      }
      return pending != null ? pending : CompletableFuture.completedFuture(message);
    }
  }

  @Override
  public CompletionStage<String> newChannel(String prefix) {
    char[] suffix = new char[12];
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < suffix.length; i++) {
      suffix[i] = LETTERS[random.nextInt(LETTERS.length)];
    }
    String name = prefix + ".inmemory!" + new String(suffix);
    try {
      return CompletableFuture.completedStage(ChannelNames.requireValidChannelName(name));
    } catch (RuntimeException e) {
      return CompletableFuture.failedStage(e);
    }
  }

  @Override
  public CompletionStage<Void> groupAdd(String group, String channel) {
    CompletionStage<Void> refused = Refusals.membership(group, channel, closed);
    if (refused != null) {
      return refused;
    }
    groups.add(group, channel, clock.millis());
    return DONE;
  }

  @Override
  public CompletionStage<Void> groupDiscard(String group, String channel) {
    CompletionStage<Void> refused = Refusals.membership(group, channel, closed);
    if (refused != null) {
      return refused;
    }
    groups.discard(group, channel);
    return DONE;
  }

  @Override
  public CompletionStage<Void> groupSend(String group, Message message) {
    CompletionStage<Void> refused = Refusals.groupSend(group, message, closed);
    if (refused != null) {
      return refused;
    }
    long now = clock.millis();
    groups.send(group, message, now, now + expiryMillis);
    return DONE;
  }

  /** Keeps group history in this process, trimmed on every record and read (see {@link ChannelLayer}). */
  @Override
  public boolean supportsHistory() {
    return true;
  }

  @Override
  public CompletionStage<String> groupSendRecorded(String group, Message message, HistoryLimits limits) {
    if (limits == null) {
      return CompletableFuture.failedStage(new NullPointerException("limits"));
    }
    CompletionStage<String> refused = Refusals.groupSend(group, message, closed);
    if (refused != null) {
      return refused;
    }
    return CompletableFuture.completedStage(histories.record(group, message, limits, recorded -> {
      long now = clock.millis();
      groups.send(group, recorded, now, now + expiryMillis);
    }));
  }

  @Override
  public CompletionStage<HistoryPage> groupHistory(String group, String after, int max) {
    try {
      ChannelNames.requireValidGroupName(group);
      return CompletableFuture.completedStage(histories.read(group, after, max));
    } catch (RuntimeException e) {
      return CompletableFuture.failedStage(e);
    }
  }

  @Override
  public CompletionStage<Void> flush() {
    if (closed) {
      return Refusals.closed();
    }
    clear();
    return DONE;
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    closed = true;
    List<PendingReceive> receivers = new ArrayList<>();
    for (ChannelQueue ch : channels.values()) {
      synchronized (ch) {
        ch.drainReceivers(receivers);
      }
    }
    clear();
    if (!receivers.isEmpty()) {
      ChannelLayerUnavailableException e = Refusals.closedException();
      for (PendingReceive r : receivers) {
        r.fail(e);
      }
    }
    return DONE;
  }

  @Override
  public String toString() {
    return "InMemoryChannelLayer[expiry=" + expiryMillis + "ms, groupExpiry=" + groupExpiryMillis
        + "ms, capacity=" + capacity + ", channels=" + channels.size() + ", groups=" + groups.size()
        + (closed ? ", closed" : "") + "]";
  }

  /** Number of channels currently held (with messages, receivers or memberships). For tests. */
  int channelCount() {
    return channels.size();
  }

  /** Number of groups currently held. For tests. */
  int groupCount() {
    return groups.size();
  }

  // ------------------------------------------------------------------------------------------ internals

  /**
   * The channel held under {@code name}, or null. A held name was valid when its channel was made, so
   * callers that find one skip checking the name again (which would read the name's characters: a cache
   * miss per call when many channels are busy).
   */
  private ChannelQueue known(String name) {
    return name == null ? null : channels.get(name);
  }

  /** The queue of channel {@code name}, made if missing. */
  private ChannelQueue queueFor(String name) {
    ChannelQueue ch = channels.get(name);
    return ch != null ? ch : channels.computeIfAbsent(name, this::newQueue);
  }

  private ChannelQueue newQueue(String name) {
    return new ChannelQueue(name, capacityOf(name), channels);
  }

  int capacityOf(String channel) {
    return capacities.of(channel, capacity);
  }

  private void clear() {
    groups.clear();
    histories.clear();
    for (ChannelQueue ch : channels.values()) {
      synchronized (ch) {
        ch.clear();
      }
    }
  }

  private static long saturatedMillis(Duration d) {
    try {
      return Math.min(d.toMillis(), Long.MAX_VALUE / 4);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  /**
   * Configures an {@link InMemoryChannelLayer}. Every setter checks its argument at once and throws
   * {@link IllegalArgumentException} quoting a bad value.
   */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Duration expiry = DEFAULT_EXPIRY;
    private Duration groupExpiry = DEFAULT_GROUP_EXPIRY;
    private int capacity = DEFAULT_CAPACITY;
    private final ChannelCapacities capacities = new ChannelCapacities();

    private Builder() {}

    /**
     * How long an unreceived message lives (default 60 s); must be positive.
     *
     * @param expiry how long an unreceived message lives
     * @return this builder
     */
    public Builder expiry(Duration expiry) {
      this.expiry = requirePositive("expiry", expiry);
      return this;
    }

    /**
     * How long a group membership lives after its last {@code groupAdd} (default 86,400 s); must be positive.
     *
     * @param groupExpiry how long a group membership lives after its last {@code groupAdd}
     * @return this builder
     */
    public Builder groupExpiry(Duration groupExpiry) {
      this.groupExpiry = requirePositive("groupExpiry", groupExpiry);
      return this;
    }

    /**
     * The capacity of channels no {@code channelCapacity} pattern matches (default 100); at least 1.
     *
     * @param capacity the capacity of channels no {@code channelCapacity} pattern matches
     * @return this builder
     */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1, got '" + capacity + "'");
      }
      this.capacity = capacity;
      return this;
    }

    /**
     * Gives channels whose full name matches {@code glob} (Python {@code fnmatch} syntax: {@code *},
     * {@code ?}, {@code [seq]}, {@code [!seq]}; the whole name must match) this capacity. Patterns are
     * tried in the order they were added; the first match wins.
     *
     * @param glob the glob pattern
     * @param capacity the capacity
     * @return this builder
     */
    public Builder channelCapacity(String glob, int capacity) {
      if (glob == null || glob.isEmpty()) {
        throw new IllegalArgumentException("a channel capacity glob must not be empty, got '" + glob + "'");
      }
      capacities.addGlob(glob, requireCapacity(glob, capacity));
      return this;
    }

    /**
     * Gives channels whose full name matches {@code regex} this capacity. As with Python's {@code
     * re.match}, the regex is anchored at the start of the name only (end it with {@code $} to match
     * the whole name). Patterns are tried in the order they were added; the first match wins.
     *
     * @param regex the regular expression
     * @param capacity the capacity
     * @return this builder
     */
    public Builder channelCapacity(Pattern regex, int capacity) {
      if (regex == null) {
        throw new IllegalArgumentException("a channel capacity regex must not be null");
      }
      capacities.addRegex(regex, requireCapacity(regex.pattern(), capacity));
      return this;
    }

    /**
     * The clock expiry is measured on (default: the system clock, UTC).
     *
     * @param clock the clock expiry is measured on
     * @return this builder
     */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * Returns the layer.
     *
     * @return the layer
     */
    public InMemoryChannelLayer build() {
      return new InMemoryChannelLayer(this);
    }

    private static int requireCapacity(String pattern, int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException(
            "the capacity for channels matching '" + pattern + "' must be at least 1, got '" + capacity + "'");
      }
      return capacity;
    }

    private static Duration requirePositive(String what, Duration d) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be a positive duration, got '" + d + "'");
      }
      return d;
    }
  }
}
