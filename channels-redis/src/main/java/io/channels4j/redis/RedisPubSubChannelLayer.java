package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayerUnavailableException;
import io.channels4j.layers.ChannelNames;
import io.channels4j.redis.internal.ConsistentHash;
import io.channels4j.redis.internal.MsgPack;
import io.channels4j.redis.internal.PubSubShard;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChannelLayer} on Redis PUBLISH/SUBSCRIBE, wire-compatible with Python's {@code
 * channels_redis.pubsub.RedisPubSubChannelLayer} (4.x): Java and Python processes using the pub/sub
 * layer on one Redis send each other messages and group messages.
 *
 * <pre>{@code
 * ChannelLayer layer = RedisPubSubChannelLayer.builder()
 *     .host("redis://127.0.0.1:6379")
 *     .prefix("asgi")
 *     .build();
 * }</pre>
 *
 * <h2>What is the same as channels_redis</h2>
 * <ul>
 *   <li>{@code send(channel, m)} is {@code PUBLISH channel msgpack(m)}: the channel name exactly as given,
 *       the payload plain msgpack (no random prefix, no {@code __asgi_channel__}).
 *   <li>A group is the Redis channel {@code {prefix}__group__{group}} ({@code asgi__group__room1});
 *       {@code groupSend} publishes there; {@code groupAdd} subscribes this layer to it and records the
 *       membership locally, and the layer copies each group message to its local member channels.
 *   <li>{@code newChannel(p)} returns {@code {prefix}{p}.{32 hex}}, so {@code newChannel()} gives
 *       {@code asgispecific.<hex>} like Python's {@code new_channel()}, and subscribes to it at once.
 *   <li>Every Redis channel lives on shard {@code crc32(name) & 0xFFF} over the hosts (channels_redis's
 *       consistent hash of the full Redis channel name); list the hosts in the same order as Python does.
 *   <li>Semantics: no persistence, no capacity, no expiry. A message reaches the processes subscribed at
 *       the moment it is published, at most once each; sent to nobody, it is gone. Every subscribed
 *       process gets a copy (several workers on one named channel each get every message).
 * </ul>
 *
 * <h2>What is better</h2>
 * <ul>
 *   <li>One subscriber connection per shard per layer, demultiplexing to local receivers through bounded
 *       buffers ({@link Builder#bufferSize}, oldest dropped first); within one layer each message goes to
 *       one receiver of its channel, in order.
 *   <li>After a Redis restart the layer reconnects and re-subscribes every channel and group (Python's
 *       {@code on_disconnect}/{@code on_reconnect} hooks are never called since 4.0 and its subscriptions
 *       are not restored); one log line marks the loss and one the recovery. Sends during the outage fail
 *       fast with {@link ChannelLayerUnavailableException}; pending receives just wait.
 *   <li>Cancelling a receive loses nothing: the channel stays subscribed until nobody has received on it
 *       for {@link Builder#idleTimeout} (Python unsubscribes at once on cancellation, losing whatever
 *       arrives before the next receive). Then it is unsubscribed, its buffer dropped and it leaves its
 *       groups, as a consumer that went away would.
 *   <li>Channel and group names are validated (Channels' rules).
 * </ul>
 *
 * <h2>Differences</h2>
 * <ul>
 *   <li>{@code groupAdd} accepts only channels this layer receives on (made by its {@link #newChannel} or
 *       passed to its {@link #receive}), as in Python (which raises {@code RuntimeError}); others fail with
 *       {@link IllegalStateException}. Group membership is per process and never expires.
 *   <li>{@link #flush} drops buffered messages and every group membership but keeps channel subscriptions
 *       (and pending receives), so the layer's channels stay usable; Python also forgets its channels.
 *   <li>No Sentinel, no cluster, no encryption (channels_redis 4.2.1+ can encrypt pub/sub payloads).
 * </ul>
 *
 * <p>Futures returned by this layer complete on lettuce's I/O threads: never block in a dependent
 * stage; use the {@code ...Async} variants with your executor, or {@link #sync()} from your own threads.
 */
public final class RedisPubSubChannelLayer implements ChannelLayer {

  private static final Logger LOG = LoggerFactory.getLogger(RedisPubSubChannelLayer.class);

  /** Between the prefix and the group name in a group's Redis channel. */
  static final String GROUP_INFIX = "__group__";
  private static final Pattern CHANNEL_PREFIX = Pattern.compile("[a-zA-Z0-9\\-_.]+");
  private static final Pattern LAYER_PREFIX = Pattern.compile("[a-zA-Z0-9\\-_.]*");
  private static final int HEX_LENGTH = 32;

  private final Settings settings;
  private final ClientResources resources;
  private final boolean ownResources;
  private final List<PubSubShard> shards;
  /** This layer's subscribed channels by name. */
  private final ConcurrentHashMap<String, Local> channels = new ConcurrentHashMap<>();
  /** Groups with local members, by their Redis channel name. */
  private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();
  /** Guards channel creation and removal and group membership (not message delivery). */
  private final Object lock = new Object();
  private final AtomicLong dropped = new AtomicLong();
  private final ScheduledFuture<?> sweeper;
  private volatile boolean closed;
  private CompletableFuture<Void> closing;

  private RedisPubSubChannelLayer(Settings settings) {
    this.settings = settings;
    this.ownResources = settings.resources == null;
    this.resources = ownResources
        ? ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(1)
            .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
            .build()
        : settings.resources;
    ClientOptions options = ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(settings.commandTimeout).keepAlive(true).build())
        .build();
    List<PubSubShard> ss = new ArrayList<>();
    for (RedisURI uri : settings.hosts) {
      ss.add(new PubSubShard(ss.size(), describe(uri), uri, resources, options, this::dispatch));
    }
    this.shards = List.copyOf(ss);
    for (PubSubShard s : shards) {
      s.start();
    }
    long period = Math.max(100, settings.idleTimeout.toMillis() / 4);
    this.sweeper = resources.eventExecutorGroup().scheduleAtFixedRate(this::sweepIdleChannels, period, period,
        TimeUnit.MILLISECONDS);
  }

  /** Starts a builder with channels_redis's defaults (host {@code redis://localhost:6379}, prefix {@code asgi}). */
  public static Builder builder() {
    return new Builder();
  }

  private static String describe(RedisURI uri) {
    return uri.getSocket() != null ? uri.getSocket() : uri.getHost() + ":" + uri.getPort();
  }

  // ------------------------------------------------------------------------------------------ API

  /** The number of shards (hosts). */
  public int shardCount() {
    return shards.size();
  }

  /** The Redis channel a group's messages are published on: {@code {prefix}__group__{group}}. */
  public String groupChannel(String group) {
    return settings.prefix + GROUP_INFIX + group;
  }

  /** How many messages were dropped so far because a channel's local buffer was full. */
  public long droppedMessages() {
    return dropped.get();
  }

  /**
   * Subscribes this layer to {@code channel} now ({@link #receive} does it lazily) and completes when
   * Redis confirmed: from then on, messages published to it are buffered here for {@code receive}. For
   * named channels (workers), where a message published before the subscription is simply lost.
   */
  public CompletionStage<Void> subscribe(String channel) {
    try {
      checkOpen();
      ChannelNames.requireValidReceiveName(channel);
      Local l = local(channel);
      l.touch();
      PubSubShard shard = l.shard;
      return l.subscribed.handle((v, e) -> {
        if (e != null) {
          throw failure(e, shard);
        }
        return null;
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private PubSubShard shardOf(String redisChannel) {
    return shards.get(ConsistentHash.shard(redisChannel, shards.size()));
  }

  @Override
  public CompletionStage<Void> send(String channel, Message message) {
    try {
      checkOpen();
      ChannelNames.requireValidChannelName(channel);
      Objects.requireNonNull(message, "message");
      return publish(channel, message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletableFuture<Void> publish(String redisChannel, Message message) {
    PubSubShard shard = shardOf(redisChannel);
    byte[] payload = MsgPack.encode(message.asMap(), null, null);
    return shard.publish(bytes(redisChannel), payload).handle((n, e) -> {
      if (e != null) {
        throw failure(e, shard);
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Message> receive(String channel) {
    try {
      checkOpen();
      ChannelNames.requireValidReceiveName(channel);
      while (true) {
        Local l = channels.get(channel);
        if (l == null || l.subscribed.isCompletedExceptionally()) {
          l = local(channel);
        }
        CompletableFuture<Message> f = l.take();
        if (f != null) {
          return f;
        }
        // removed by the idle sweep in between: make it again
      }
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** This layer's channel {@code name}, made and subscribed if needed. */
  private Local local(String name) {
    synchronized (lock) {
      Local l = channels.get(name);
      if (l == null) {
        l = new Local(name, shardOf(name));
        l.subscribed = l.shard.subscribe(name);
        channels.put(name, l);
      } else {
        l.subscribed = l.shard.subscribe(name);
      }
      return l;
    }
  }

  @Override
  public CompletionStage<String> newChannel(String prefix) {
    try {
      checkOpen();
      if (prefix == null || !CHANNEL_PREFIX.matcher(prefix).matches()
          || settings.prefix.length() + prefix.length() + 1 + HEX_LENGTH >= ChannelNames.MAX_NAME_LENGTH) {
        throw new IllegalArgumentException("a channel prefix must be ASCII letters, digits, '-', '_' or '.', at most "
            + (ChannelNames.MAX_NAME_LENGTH - 2 - HEX_LENGTH - settings.prefix.length()) + " characters: '"
            + prefix + "'");
      }
      String name = settings.prefix + prefix + "." + UUID.randomUUID().toString().replace("-", "");
      Local l = local(name);
      PubSubShard shard = l.shard;
      return l.subscribed.handle((v, e) -> {
        if (e != null) {
          remove(l);
          throw failure(e, shard);
        }
        return name;
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> groupAdd(String group, String channel) {
    try {
      checkOpen();
      ChannelNames.requireValidGroupName(group);
      ChannelNames.requireValidChannelName(channel);
      String redisName = groupChannel(group);
      Group g;
      Local l;
      boolean added;
      synchronized (lock) {
        l = channels.get(channel);
        if (l == null) {
          throw new IllegalStateException("groupAdd('" + group + "', ...) needs a channel this layer receives on"
              + " (made by its newChannel or passed to its receive); pub/sub delivers group messages through the"
              + " member's own process: '" + channel + "'");
        }
        g = groups.get(redisName);
        if (g == null) {
          g = new Group(redisName, shardOf(redisName));
          groups.put(redisName, g);
        }
        added = g.add(l);
        l.groups.add(g);
        g.subscribed = g.shard.subscribe(redisName);
      }
      Group gg = g;
      return g.subscribed.handle((v, e) -> {
        if (e != null) {
          if (added) {
            discard(gg, l);
          }
          throw failure(e, gg.shard);
        }
        return null;
      });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> groupDiscard(String group, String channel) {
    try {
      checkOpen();
      ChannelNames.requireValidGroupName(group);
      ChannelNames.requireValidChannelName(channel);
      synchronized (lock) {
        Group g = groups.get(groupChannel(group));
        Local l = channels.get(channel);
        if (g != null && l != null) {
          discard(g, l);
        }
      }
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void discard(Group g, Local l) {
    synchronized (lock) {
      l.groups.remove(g);
      if (g.remove(l) && groups.get(g.redisName) == g) {
        groups.remove(g.redisName);
        g.shard.unsubscribe(g.redisName);
      }
    }
  }

  @Override
  public CompletionStage<Void> groupSend(String group, Message message) {
    try {
      checkOpen();
      ChannelNames.requireValidGroupName(group);
      Objects.requireNonNull(message, "message");
      return publish(groupChannel(group), message);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Drops every buffered message (including those published before this call and still on their way)
   * and every group membership (unsubscribing the groups); this layer's channels stay subscribed and
   * pending receives keep waiting.
   */
  @Override
  public CompletionStage<Void> flush() {
    try {
      checkOpen();
      List<CompletableFuture<Void>> barriers = new ArrayList<>();
      for (PubSubShard s : shards) {
        barriers.add(s.barrier());
      }
      return CompletableFuture.allOf(barriers.toArray(new CompletableFuture<?>[0])).thenRun(this::clearAll);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void clearAll() {
    synchronized (lock) {
      for (Group g : groups.values()) {
        g.shard.unsubscribe(g.redisName);
        g.members = List.of();
      }
      groups.clear();
      for (Local l : channels.values()) {
        l.groups.clear();
        l.clear();
      }
    }
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    synchronized (lock) {
      if (closing != null) {
        return closing;
      }
      closed = true;
      sweeper.cancel(false);
      ChannelLayerUnavailableException gone =
          new ChannelLayerUnavailableException("the Redis pub/sub channel layer was closed", null);
      for (Local l : channels.values()) {
        l.failAll(gone);
      }
      channels.clear();
      groups.clear();
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (PubSubShard s : shards) {
        fs.add(s.closeAsync());
      }
      closing = CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0]))
          .handle((v, e) -> null)
          .thenCompose(v -> {
            if (!ownResources) {
              return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> done = new CompletableFuture<>();
            resources.shutdown(0, 2, TimeUnit.SECONDS).addListener(f -> done.complete(null));
            return done;
          });
      return closing;
    }
  }

  @Override
  public String toString() {
    List<String> where = new ArrayList<>();
    for (PubSubShard s : shards) {
      where.add(s.description());
    }
    return "RedisPubSubChannelLayer" + where + "[prefix=" + settings.prefix + "]";
  }

  // ------------------------------------------------------------------------------- delivery

  /** A message published on one of our Redis channels (on an I/O thread). */
  private void dispatch(String redisChannel, byte[] payload) {
    Local l = channels.get(redisChannel);
    Group g = l == null ? groups.get(redisChannel) : null;
    if (l == null && g == null) {
      return;
    }
    Message m;
    try {
      Object v = MsgPack.decode(payload);
      if (!(v instanceof Map)) {
        throw new IllegalArgumentException("a message must be a msgpack map, got "
            + (v == null ? "nil" : v.getClass().getSimpleName()));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map = (Map<String, Object>) v;
      m = Message.fromMap(map);
    } catch (RuntimeException e) {
      LOG.warn("dropped an undecodable message on Redis channel {}: {}", redisChannel, e.toString());
      return;
    }
    if (l != null) {
      l.deliver(m);
    } else {
      for (Local member : g.members) {
        member.deliver(m);
      }
    }
  }

  /** Unsubscribes channels nobody has received on for idleTimeout (a consumer that went away). */
  void sweepIdleChannels() {
    long now = settings.clock.millis();
    long limit = settings.idleTimeout.toMillis();
    for (Local l : channels.values()) {
      if (l.idleSince(now) >= limit) {
        synchronized (lock) {
          synchronized (l) {
            if (l.idleSince(now) < limit) {
              continue;
            }
            l.removed = true;
          }
          remove(l);
        }
      }
    }
  }

  private void remove(Local l) {
    synchronized (lock) {
      synchronized (l) {
        l.removed = true;
      }
      if (channels.remove(l.name, l)) {
        for (Group g : new ArrayList<>(l.groups)) {
          discard(g, l);
        }
        l.shard.unsubscribe(l.name);
      }
    }
  }

  /** One of this layer's channels: its buffer and its receivers. */
  private final class Local {
    final String name;
    final PubSubShard shard;
    final ArrayDeque<Message> buffer = new ArrayDeque<>();
    final ArrayDeque<CompletableFuture<Message>> waiters = new ArrayDeque<>();
    /** Guarded by the layer's lock. */
    final Set<Group> groups = new LinkedHashSet<>();
    /** Written under the layer's lock; read lock-free by receive. */
    volatile CompletableFuture<Void> subscribed;
    boolean removed;
    long lastActive = settings.clock.millis();

    Local(String name, PubSubShard shard) {
      this.name = name;
      this.shard = shard;
    }

    /** Millis since the last receiver left, or -1 while someone waits. */
    synchronized long idleSince(long now) {
      return waiters.isEmpty() ? now - lastActive : -1;
    }

    synchronized void touch() {
      lastActive = settings.clock.millis();
    }

    /** The next message, or null if the channel was removed. */
    CompletableFuture<Message> take() {
      CompletableFuture<Message> f = new CompletableFuture<>();
      synchronized (this) {
        if (removed) {
          return null;
        }
        Message m = buffer.poll();
        lastActive = settings.clock.millis();
        if (m != null) {
          f.complete(m);
          return f;
        }
        waiters.add(f);
      }
      f.whenComplete((m, e) -> {
        synchronized (this) {
          waiters.remove(f);
          lastActive = settings.clock.millis();
        }
      });
      return f;
    }

    void deliver(Message m) {
      while (true) {
        CompletableFuture<Message> w;
        synchronized (this) {
          if (removed) {
            return;
          }
          w = waiters.poll();
          if (w == null) {
            buffer.add(m);
            if (buffer.size() > settings.bufferSize) {
              buffer.poll();
              if (dropped.getAndIncrement() % 1000 == 0) {
                LOG.warn("local buffer of {} is full ({} messages): dropped its oldest message ({} dropped so far"
                    + " by this layer)", name, settings.bufferSize, dropped.get());
              }
            }
            return;
          }
        }
        if (w.complete(m)) {
          return;
        }
      }
    }

    synchronized void clear() {
      buffer.clear();
    }

    void failAll(Throwable t) {
      List<CompletableFuture<Message>> ws;
      synchronized (this) {
        removed = true;
        ws = new ArrayList<>(waiters);
        waiters.clear();
      }
      for (CompletableFuture<Message> w : ws) {
        w.completeExceptionally(t);
      }
    }
  }

  /** A group with local members. */
  private static final class Group {
    final String redisName;
    final PubSubShard shard;
    /** Copy-on-write under the layer's lock; read lock-free by delivery. */
    volatile List<Local> members = List.of();
    /** Guarded by the layer's lock. */
    CompletableFuture<Void> subscribed;

    Group(String redisName, PubSubShard shard) {
      this.redisName = redisName;
      this.shard = shard;
    }

    /** Adds a member; false if it already was one. */
    boolean add(Local l) {
      if (members.contains(l)) {
        return false;
      }
      List<Local> next = new ArrayList<>(members);
      next.add(l);
      members = List.copyOf(next);
      return true;
    }

    /** Removes a member; true if the group is now empty. */
    boolean remove(Local l) {
      List<Local> next = new ArrayList<>(members);
      next.remove(l);
      members = List.copyOf(next);
      return next.isEmpty();
    }
  }

  // ------------------------------------------------------------------------------- helpers

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void checkOpen() {
    if (closed) {
      throw new ChannelLayerUnavailableException("the Redis pub/sub channel layer is closed", null);
    }
  }

  private static RuntimeException failure(Throwable e, PubSubShard shard) {
    Throwable cause = e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof io.channels4j.ChannelsException || cause instanceof IllegalArgumentException) {
      return (RuntimeException) cause;
    }
    if (cause instanceof RedisException || cause instanceof IllegalStateException) {
      return new ChannelLayerUnavailableException(
          "Redis " + shard.description() + " is unavailable: " + cause.getMessage(), cause);
    }
    return cause instanceof RuntimeException ? (RuntimeException) cause : new CompletionException(cause);
  }

  // ------------------------------------------------------------------------------- settings

  /** The validated configuration. */
  private static final class Settings {
    List<RedisURI> hosts;
    String prefix;
    int bufferSize;
    Duration idleTimeout;
    Clock clock;
    Duration commandTimeout;
    ClientResources resources;
  }

  /**
   * Configures a {@link RedisPubSubChannelLayer}. Every setter validates at once and throws {@link
   * IllegalArgumentException} quoting the bad value. Defaults are channels_redis's where it has one: host
   * {@code redis://localhost:6379}, prefix {@code asgi}.
   */
  public static final class Builder {
    private final List<RedisURI> hosts = new ArrayList<>();
    private String prefix = "asgi";
    private int bufferSize = 100;
    private Duration idleTimeout = Duration.ofSeconds(60);
    private Clock clock = Clock.systemUTC();
    private Duration commandTimeout = Duration.ofSeconds(5);
    private ClientResources resources;

    private Builder() {}

    /**
     * Adds a Redis server (a shard) by URI: {@code redis://[user:password@]host[:port][/db]}, {@code
     * rediss://...} for TLS or {@code redis-socket:///path}. List them in the same order as the Python
     * peers' {@code hosts}.
     */
    public Builder host(String redisUri) {
      if (redisUri == null || redisUri.isBlank()) {
        throw new IllegalArgumentException("a Redis host URI must not be blank: '" + redisUri + "'");
      }
      RedisURI uri;
      try {
        uri = RedisURI.create(redisUri);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a valid Redis host URI (" + e.getMessage() + "): '" + redisUri + "'", e);
      }
      if (uri.getSentinelMasterId() != null) {
        throw new IllegalArgumentException("the pub/sub layer does not support Sentinel URIs: '" + redisUri + "'");
      }
      hosts.add(uri);
      return this;
    }

    /**
     * The prefix of group channels and new channel names (default {@code asgi}); must match the Python
     * peers'. ASCII letters, digits, '-', '_' or '.', possibly empty, at most 40 characters.
     */
    public Builder prefix(String prefix) {
      if (prefix == null || !LAYER_PREFIX.matcher(prefix).matches() || prefix.length() > 40) {
        throw new IllegalArgumentException("the prefix must be ASCII letters, digits, '-', '_' or '.', at most 40"
            + " characters: '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * How many unreceived messages one channel buffers in this process (default 100); when full, the
     * oldest is dropped and counted ({@link #droppedMessages()}).
     */
    public Builder bufferSize(int bufferSize) {
      if (bufferSize < 1) {
        throw new IllegalArgumentException("bufferSize must be at least 1: '" + bufferSize + "'");
      }
      this.bufferSize = bufferSize;
      return this;
    }

    /**
     * How long a channel nobody receives on stays subscribed (default 60 s): then it is unsubscribed,
     * its buffer dropped and its group memberships discarded. At least 1 s.
     */
    public Builder idleTimeout(Duration idleTimeout) {
      if (idleTimeout == null || idleTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("idleTimeout must be at least 1 s: '" + idleTimeout + "'");
      }
      this.idleTimeout = idleTimeout;
      return this;
    }

    /** The clock for idle timing (default the system UTC clock); tests pass a fake one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long a Redis command may take before it fails (default 5 s). */
    public Builder commandTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("commandTimeout must be positive: '" + timeout + "'");
      }
      this.commandTimeout = timeout;
      return this;
    }

    /**
     * Shares lettuce {@link ClientResources} (threads) between layers; the layer then does not shut them
     * down. By default each layer owns a small set (2 I/O threads) and shuts it down on close.
     */
    public Builder clientResources(ClientResources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /** Builds the layer and starts connecting in the background. */
    public RedisPubSubChannelLayer build() {
      Settings s = new Settings();
      s.hosts = hosts.isEmpty() ? List.of(RedisURI.create("redis://localhost:6379")) : List.copyOf(hosts);
      s.prefix = prefix;
      s.bufferSize = bufferSize;
      s.idleTimeout = idleTimeout;
      s.clock = clock;
      s.commandTimeout = commandTimeout;
      s.resources = resources;
      return new RedisPubSubChannelLayer(s);
    }
  }
}
