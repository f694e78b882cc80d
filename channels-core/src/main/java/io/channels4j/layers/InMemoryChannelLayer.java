package io.channels4j.layers;

import io.channels4j.Message;
import io.channels4j.internal.ChannelCapacities;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(InMemoryChannelLayer.class);

  /** Channels' default message expiry. */
  public static final Duration DEFAULT_EXPIRY = Duration.ofSeconds(60);
  /** Channels' default group membership expiry. */
  public static final Duration DEFAULT_GROUP_EXPIRY = Duration.ofSeconds(86_400);
  /** Channels' default channel capacity. */
  public static final int DEFAULT_CAPACITY = 100;

  private static final CompletionStage<Void> DONE = CompletableFuture.completedStage(null);
  private static final Member[] NO_MEMBERS = new Member[0];
  private static final char[] LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ".toCharArray();

  private final Clock clock;
  private final long expiryMillis;
  private final long groupExpiryMillis;
  private final int capacity;
  private final ChannelCapacities capacities;
  private final ConcurrentHashMap<String, Chan> channels = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private InMemoryChannelLayer(Builder b) {
    this.clock = b.clock;
    this.expiryMillis = saturatedMillis(b.expiry);
    this.groupExpiryMillis = saturatedMillis(b.groupExpiry);
    this.capacity = b.capacity;
    this.capacities = b.capacities.copy();
  }

  /** A layer with Channels' defaults: expiry 60 s, group expiry 86,400 s, capacity 100, system clock. */
  public static InMemoryChannelLayer create() {
    return builder().build();
  }

  /** A builder starting from Channels' defaults. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------------ API

  @Override
  public CompletionStage<Void> send(String channel, Message message) {
    if (message == null) {
      return CompletableFuture.failedStage(new NullPointerException("message"));
    }
    Chan known = known(channel);
    if (known == null) {
      try {
        ChannelNames.requireValidChannelName(channel);
      } catch (RuntimeException e) {
        return CompletableFuture.failedStage(e);
      }
    }
    if (closed) {
      return closedFailure();
    }
    long now = clock.millis();
    long expiresAt = now + expiryMillis;
    while (true) {
      Chan ch = known != null ? known : chanFor(channel);
      known = null;
      ReceiveFuture receiver;
      Member[] kicked = null;
      boolean full = false;
      synchronized (ch) {
        if (ch.removed) {
          continue;
        }
        if (ch.headExpired(now)) {
          kicked = ch.dropExpired(now);
        }
        receiver = ch.pollReceiver();
        if (receiver == null) {
          if (ch.size >= ch.capacity) {
            full = true;
          } else {
            ch.add(message, expiresAt);
          }
        }
      }
      if (kicked != null) {
        unlink(kicked);
      }
      if (full) {
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
    Chan known = known(channel);
    if (known == null) {
      try {
        ChannelNames.requireValidReceiveName(channel);
      } catch (RuntimeException e) {
        return CompletableFuture.failedStage(e);
      }
    }
    if (closed) {
      return closedFailure();
    }
    while (true) {
      Chan ch = known != null ? known : chanFor(channel);
      known = null;
      Member[] kicked = null;
      Message message = null;
      ReceiveFuture pending = null;
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
          pending = new ReceiveFuture(ch);
          ch.addReceiver(pending);
        }
      }
      if (kicked != null) {
        unlink(kicked);
      }
      if (closedNow) {
        return closedFailure();
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
    try {
      ChannelNames.requireValidGroupName(group);
      ChannelNames.requireValidChannelName(channel);
    } catch (RuntimeException e) {
      return CompletableFuture.failedStage(e);
    }
    if (closed) {
      return closedFailure();
    }
    long now = clock.millis();
    while (true) {
      Group grp = groups.computeIfAbsent(group, Group::new);
      synchronized (grp) {
        if (grp.removed) {
          continue;
        }
        Member existing = grp.members.get(channel);
        if (existing != null) {
          synchronized (existing.chan) {
            if (!existing.detached) {
              existing.joined = now;
              grp.snapshot = null;
              return DONE;
            }
          }
        }
        while (true) {
          Chan ch = chanFor(channel);
          synchronized (ch) {
            if (ch.removed) {
              continue;
            }
            Member m = new Member(grp, channel, ch, now);
            ch.joinedGroups().put(grp, m);
            grp.members.put(channel, m);
            grp.snapshot = null;
            return DONE;
          }
        }
      }
    }
  }

  @Override
  public CompletionStage<Void> groupDiscard(String group, String channel) {
    try {
      ChannelNames.requireValidGroupName(group);
      ChannelNames.requireValidChannelName(channel);
    } catch (RuntimeException e) {
      return CompletableFuture.failedStage(e);
    }
    if (closed) {
      return closedFailure();
    }
    Group grp = groups.get(group);
    if (grp == null) {
      return DONE;
    }
    Member m;
    synchronized (grp) {
      m = grp.members.get(channel);
      if (m != null) {
        removeMember(grp, m);
      }
    }
    if (m != null) {
      detach(m);
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> groupSend(String group, Message message) {
    try {
      ChannelNames.requireValidGroupName(group);
      Objects.requireNonNull(message, "message");
    } catch (RuntimeException e) {
      return CompletableFuture.failedStage(e);
    }
    if (closed) {
      return closedFailure();
    }
    Group grp = groups.get(group);
    if (grp == null) {
      return DONE;
    }
    Snapshot snapshot = grp.snapshot;
    if (snapshot == null) {
      synchronized (grp) {
        snapshot = grp.snapshot;
        if (snapshot == null) {
          snapshot = new Snapshot(grp.members.values().toArray(NO_MEMBERS));
          grp.snapshot = snapshot;
        }
      }
    }
    long now = clock.millis();
    long expiresAt = now + expiryMillis;
    long joinedCutoff = now - groupExpiryMillis;
    List<Member> lapsed = null;
    List<Member[]> kicked = null;
    Chan[] chans = snapshot.chans;
    long[] joined = snapshot.joined;
    for (int i = 0; i < chans.length; i++) {
      if (joined[i] < joinedCutoff) {
        if (lapsed == null) {
          lapsed = new ArrayList<>();
        }
        lapsed.add(snapshot.members[i]);
        continue;
      }
      Chan ch = chans[i];
      while (true) {
        ReceiveFuture receiver = null;
        boolean full = false;
        synchronized (ch) {
          // A member that left since the snapshot was taken left concurrently with this send (every
          // membership change replaces the snapshot before it completes): delivering is as correct as not.
          if (ch.removed) {
            break;
          }
          if (ch.headExpired(now)) {
            Member[] k = ch.dropExpired(now);
            ch.removeIfIdle();
            if (k != null) {
              if (kicked == null) {
                kicked = new ArrayList<>();
              }
              kicked.add(k);
            }
            break;
          }
          receiver = ch.pollReceiver();
          if (receiver == null) {
            if (ch.size >= ch.capacity) {
              full = true;
            } else {
              ch.add(message, expiresAt);
            }
          }
        }
        if (full) {
          if (LOG.isDebugEnabled()) {
            LOG.debug("groupSend to '{}': channel '{}' is full (capacity {}), message '{}' skipped",
                group, ch.name, ch.capacity, message.type());
          }
          break;
        }
        if (receiver == null || receiver.deliver(message)) {
          break;
        }
        // the receiver was cancelled after we took it: offer the message again
      }
    }
    if (kicked != null) {
      for (Member[] k : kicked) {
        unlink(k);
      }
    }
    if (lapsed != null) {
      for (Member m : lapsed) {
        boolean removed;
        synchronized (grp) {
          removed = m.joined < joinedCutoff && grp.members.get(m.channel) == m;
          if (removed) {
            removeMember(grp, m);
          }
        }
        if (removed) {
          detach(m);
        }
      }
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> flush() {
    if (closed) {
      return closedFailure();
    }
    clear();
    return DONE;
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    closed = true;
    List<ReceiveFuture> receivers = new ArrayList<>();
    for (Chan ch : channels.values()) {
      synchronized (ch) {
        ch.drainReceivers(receivers);
      }
    }
    clear();
    if (!receivers.isEmpty()) {
      ChannelLayerUnavailableException e = closedException();
      for (ReceiveFuture r : receivers) {
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
  private Chan known(String name) {
    return name == null ? null : channels.get(name);
  }

  private Chan chanFor(String name) {
    Chan ch = channels.get(name);
    return ch != null ? ch : channels.computeIfAbsent(name, this::newChan);
  }

  private Chan newChan(String name) {
    return new Chan(name, capacityOf(name), channels);
  }

  int capacityOf(String channel) {
    return capacities.of(channel, capacity);
  }

  private void clear() {
    for (Group grp : groups.values()) {
      synchronized (grp) {
        grp.members.clear();
        grp.snapshot = Snapshot.EMPTY;
        if (!grp.removed) {
          grp.removed = true;
          groups.remove(grp.name, grp);
        }
      }
    }
    for (Chan ch : channels.values()) {
      synchronized (ch) {
        ch.clearMessages();
        Member[] ms = ch.detachAll();
        if (ms != null) {
          for (Member m : ms) {
            m.detached = true;
          }
        }
        ch.removeIfIdle();
      }
    }
  }

  /** Removes {@code m} (a member) from {@code grp}, forgetting the group when it empties. Caller holds its lock. */
  private void removeMember(Group grp, Member m) {
    grp.members.remove(m.channel);
    grp.snapshot = null;
    if (grp.members.isEmpty() && !grp.removed) {
      grp.removed = true;
      grp.snapshot = Snapshot.EMPTY;
      groups.remove(grp.name, grp);
    }
  }

  /** Removes memberships detached from their channel (by expiry) from their groups. */
  private void unlink(Member[] members) {
    for (Member m : members) {
      Group grp = m.group;
      synchronized (grp) {
        if (grp.members.get(m.channel) == m) {
          removeMember(grp, m);
        }
      }
    }
  }

  /** Detaches a membership already removed from its group from its channel. */
  private static void detach(Member m) {
    Chan ch = m.chan;
    synchronized (ch) {
      if (!m.detached) {
        m.detached = true;
        if (ch.groups != null && ch.groups.get(m.group) == m) {
          ch.groups.remove(m.group);
        }
      }
      ch.removeIfIdle();
    }
  }

  private <T> CompletionStage<T> closedFailure() {
    return CompletableFuture.failedStage(closedException());
  }

  private static ChannelLayerUnavailableException closedException() {
    return new ChannelLayerUnavailableException("the in-memory channel layer is closed", null);
  }

  private static long saturatedMillis(Duration d) {
    try {
      return Math.min(d.toMillis(), Long.MAX_VALUE / 4);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE / 4;
    }
  }

  /**
   * One channel: its queued messages (with their expiry times), its waiting receivers and its group
   * memberships. Every field is guarded by the object's own lock.
   */
  private static final class Chan {
    private static final int INITIAL = 4;

    final String name;
    final int capacity;
    final ConcurrentHashMap<String, Chan> registry;
    /** The oldest message and its expiry, inline: most channels hold zero or one message. */
    Message first;
    long firstExpires;
    /** The messages after the first, in a ring allocated when a second message queues up. */
    Message[] rest;
    long[] restExpires;
    int restHead;
    /** Number of messages, the first included. */
    int size;
    ReceiveFuture receiver;
    ArrayDeque<ReceiveFuture> moreReceivers;
    Map<Group, Member> groups;
    boolean removed;

    Chan(String name, int capacity, ConcurrentHashMap<String, Chan> registry) {
      this.name = name;
      this.capacity = capacity;
      this.registry = registry;
    }

    /** True if the oldest message expired before {@code now}. */
    boolean headExpired(long now) {
      return size > 0 && firstExpires < now;
    }

    void add(Message m, long expiresAt) {
      if (size == 0) {
        first = m;
        firstExpires = expiresAt;
      } else {
        int n = size - 1;
        if (rest == null) {
          rest = new Message[INITIAL];
          restExpires = new long[INITIAL];
        } else if (n == rest.length) {
          grow();
        }
        int i = (restHead + n) & (rest.length - 1);
        rest[i] = m;
        restExpires[i] = expiresAt;
      }
      size++;
    }

    Message poll() {
      Message m = first;
      if (--size == 0) {
        first = null;
        restHead = 0;
        if (rest != null && rest.length > 64) {
          rest = null;
          restExpires = null;
        }
      } else {
        first = rest[restHead];
        firstExpires = restExpires[restHead];
        rest[restHead] = null;
        restHead = (restHead + 1) & (rest.length - 1);
      }
      return m;
    }

    private void grow() {
      int n = rest.length;
      Message[] nm = new Message[n * 2];
      long[] ne = new long[n * 2];
      for (int k = 0; k < n; k++) {
        int i = (restHead + k) & (n - 1);
        nm[k] = rest[i];
        ne[k] = restExpires[i];
      }
      rest = nm;
      restExpires = ne;
      restHead = 0;
    }

    void clearMessages() {
      while (size > 0) {
        poll();
      }
    }

    /** Drops expired messages from the head; returns the memberships this channel lost, or null. */
    Member[] dropExpired(long now) {
      int dropped = 0;
      while (headExpired(now)) {
        poll();
        dropped++;
      }
      if (dropped > 0 && LOG.isDebugEnabled()) {
        LOG.debug("channel '{}': {} message(s) expired{}", name, dropped,
            groups == null || groups.isEmpty() ? "" : "; leaving groups " + groupNames());
      }
      Member[] ms = detachAll();
      if (ms != null) {
        for (Member m : ms) {
          m.detached = true;
        }
      }
      return ms;
    }

    private List<String> groupNames() {
      List<String> names = new ArrayList<>();
      for (Group g : groups.keySet()) {
        names.add(g.name);
      }
      return names;
    }

    Member[] detachAll() {
      if (groups == null || groups.isEmpty()) {
        return null;
      }
      Member[] ms = groups.values().toArray(NO_MEMBERS);
      groups.clear();
      return ms;
    }

    Map<Group, Member> joinedGroups() {
      if (groups == null) {
        groups = new HashMap<>(4);
      }
      return groups;
    }

    ReceiveFuture pollReceiver() {
      ReceiveFuture r = receiver;
      if (r != null) {
        receiver = moreReceivers == null ? null : moreReceivers.poll();
      }
      return r;
    }

    void addReceiver(ReceiveFuture r) {
      if (receiver == null) {
        receiver = r;
      } else {
        if (moreReceivers == null) {
          moreReceivers = new ArrayDeque<>(2);
        }
        moreReceivers.add(r);
      }
    }

    void withdraw(ReceiveFuture r) {
      if (receiver == r) {
        receiver = moreReceivers == null ? null : moreReceivers.poll();
      } else if (moreReceivers != null) {
        moreReceivers.remove(r);
      }
      removeIfIdle();
    }

    void drainReceivers(List<ReceiveFuture> into) {
      ReceiveFuture r;
      while ((r = pollReceiver()) != null) {
        into.add(r);
      }
    }

    void removeIfIdle() {
      if (!removed && size == 0 && receiver == null && (groups == null || groups.isEmpty())) {
        removed = true;
        registry.remove(name, this);
      }
    }
  }

  /** A pending receive. Cancelling it (or failing it from outside) withdraws it from its channel. */
  private static final class ReceiveFuture extends CompletableFuture<Message> {
    private final Chan chan;

    ReceiveFuture(Chan chan) {
      this.chan = chan;
    }

    /** Completes with a message taken for this receiver; false if it was already done (cancelled). */
    boolean deliver(Message m) {
      return super.complete(m);
    }

    void fail(Throwable t) {
      super.completeExceptionally(t);
    }

    // Withdraw first, then complete: once withdrawn no sender can take this receiver, and if a sender
    // took it already, whichever completion loses is harmless (a losing sender offers its message again).
    // So by the time a caller sees this future done, the channel no longer holds it.

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      if (isDone()) {
        return false;
      }
      withdraw();
      return super.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
      if (isDone()) {
        return false;
      }
      withdraw();
      return super.completeExceptionally(ex);
    }

    @Override
    public boolean complete(Message value) {
      if (isDone()) {
        return false;
      }
      withdraw();
      return super.complete(value);
    }

    private void withdraw() {
      synchronized (chan) {
        chan.withdraw(this);
      }
    }
  }

  /**
   * The members of a group as arrays, for a cache-friendly group send: made on the first send after a
   * change, shared by concurrent sends, never modified.
   */
  private static final class Snapshot {
    static final Snapshot EMPTY = new Snapshot(NO_MEMBERS);

    final Member[] members;
    final Chan[] chans;
    final long[] joined;

    Snapshot(Member[] members) {
      this.members = members;
      this.chans = new Chan[members.length];
      this.joined = new long[members.length];
      for (int i = 0; i < members.length; i++) {
        chans[i] = members[i].chan;
        joined[i] = members[i].joined;
      }
    }
  }

  /** A group: its members by channel name, and a snapshot of them rebuilt after changes. */
  private static final class Group {
    final String name;
    final HashMap<String, Member> members = new HashMap<>();
    volatile Snapshot snapshot;
    boolean removed;

    Group(String name) {
      this.name = name;
    }

  }

  /** A channel's membership of a group. {@code detached} is guarded by the channel's lock. */
  private static final class Member {
    final Group group;
    final String channel;
    final Chan chan;
    volatile long joined;
    boolean detached;

    Member(Group group, String channel, Chan chan, long joined) {
      this.group = group;
      this.channel = channel;
      this.chan = chan;
      this.joined = joined;
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

    /** How long an unreceived message lives (default 60 s); must be positive. */
    public Builder expiry(Duration expiry) {
      this.expiry = requirePositive("expiry", expiry);
      return this;
    }

    /** How long a group membership lives after its last {@code groupAdd} (default 86,400 s); must be positive. */
    public Builder groupExpiry(Duration groupExpiry) {
      this.groupExpiry = requirePositive("groupExpiry", groupExpiry);
      return this;
    }

    /** The capacity of channels no {@code channelCapacity} pattern matches (default 100); at least 1. */
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
     */
    public Builder channelCapacity(Pattern regex, int capacity) {
      if (regex == null) {
        throw new IllegalArgumentException("a channel capacity regex must not be null");
      }
      capacities.addRegex(regex, requireCapacity(regex.pattern(), capacity));
      return this;
    }

    /** The clock expiry is measured on (default: the system clock, UTC). */
    public Builder clock(Clock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /** Returns the layer. */
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
