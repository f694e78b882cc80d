package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.internal.ChannelCapacities;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayerUnavailableException;
import io.channels4j.layers.ChannelNames;
import io.lettuce.core.RedisURI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A {@link ChannelLayer} on Redis, wire-compatible with Python's {@code channels_redis.core.RedisChannelLayer}
 * (4.x): Java and Python processes can share one Redis and send each other messages and group messages.
 *
 * <pre>{@code
 * ChannelLayer layer = RedisChannelLayer.builder()
 *     .host("redis://127.0.0.1:6379")
 *     .prefix("asgi").expiry(Duration.ofSeconds(60)).capacity(100)
 *     .build();
 * }</pre>
 *
 * <h2>What is the same as channels_redis</h2>
 * Keys ({@code {prefix}{non-local name}} sorted sets, groups in {@code {prefix}:group:{group}}), members
 * (12 random bytes + msgpack, or + Fernet(msgpack) with {@code symmetric_encryption_keys}; channels_redis
 * 4.2+'s {@code serializer_format} and {@code random_prefix_length} via {@link Builder#serializerFormat} and
 * {@link Builder#randomPrefixLength}), scores (epoch
 * seconds), {@code __asgi_channel__} (a string on direct sends, a list on group sends, one entry per
 * process key), the group-send Lua script, capacity per Redis key, the shard hash (CRC32).
 *
 * <h2>What is better</h2>
 * <ul>
 *   <li>Direct sends to {@code !} channels pick the shard by the non-local name, so they reach their
 *       receiver with any number of shards (channels_redis loses about half with two, django/channels#1492),
 *       and this layer receives its process key on every shard, so Python's mis-sharded sends arrive too.
 *       Sends to normal channels are hashed too (channels_redis round-robins them), which keeps them in
 *       order and makes capacity exact; receivers here poll every shard, so Python's sends are found.
 *   <li>One receive loop per shard serves all of this layer's process-local channels (a BZPOPMIN on a
 *       dedicated connection while anyone waits), demultiplexed into bounded per-channel buffers; a
 *       cancelled receive never loses a popped message.
 *   <li>Sends are one atomic script (purge, capacity check, add, expire) run by EVALSHA. On a single
 *       server (no sharding, no cluster, no encryption, no per-channel capacities) a group send is one
 *       script too: membership read and the fan-out per process key happen in Redis, which writes the
 *       same members channels_redis does; otherwise group sends read the group, then pipeline their
 *       purges and channels_redis's group-send script per shard (or slot).
 *   <li>Redis restarts are survived: connections reconnect, the receive loops resume, operations during
 *       the outage fail fast with {@link ChannelLayerUnavailableException}; one log line marks the loss
 *       and one the recovery.
 *   <li>Buffered and popped messages older than {@code expiry} are dropped on the layer's clock.
 *   <li>Group memberships of this layer's own channels are re-added when Redis is back after an outage
 *       (it may have restarted empty), so open channels keep hearing their groups.
 *   <li>Dead nodes: each layer keeps a liveness mark per process key ({@link Builder#livenessTimeout});
 *       group sends skip and purge the members of Java processes whose mark is gone. Python processes
 *       write no marks, so their members are never purged by this rule.
 * </ul>
 *
 * <h2>Differences</h2>
 * <ul>
 *   <li>Capacity of process-local channels is per process key (all {@code !} channels of one layer
 *       share it), as in Channels' spec and channels_redis; a message expiring does not remove its
 *       channel from groups (only {@code groupExpiry} and {@link #groupDiscard} do), as in channels_redis.
 *   <li>Cluster mode ({@link Builder#cluster}) uses its own key layout with hash tags and is not shared
 *       with Python (channels_redis has no cluster support).
 * </ul>
 *
 * <p>Futures returned by this layer complete on lettuce's I/O threads: never block in a dependent
 * stage; use the {@code ...Async} variants with your executor, or {@link #sync()} from your own threads.
 */
public final class RedisChannelLayer implements ChannelLayer {

  private final Settings settings;
  private final RedisConnections connections;
  private final String clientPrefix = Options.randomHex();
  private final KeyLayout keys;
  private final Scores scores;
  private final MemberCodec codec;
  private final ChannelSender channelSender;
  private final GroupSender groupSender;
  private final GroupHistoryStore histories;
  private final LivenessMarks liveness;
  private final LocalMemberships memberships;
  private final ProcessKeyReceiver processKeys;
  private final NamedChannelReceiver namedChannels;

  private RedisChannelLayer(Settings settings) {
    this.settings = settings;
    this.connections = settings.connection().connections("Redis channel layer");
    if (settings.cluster() != null) {
      connections.addCluster(settings.cluster());
    } else {
      settings.connection().hostsOrDefault().forEach(connections::addHost);
    }
    this.keys = new KeyLayout(settings.prefix(), settings.cluster() != null);
    this.scores = new Scores(settings.clock(), settings.expirySeconds());
    // channels_redis accepts tokens up to expiry + 10 s old
    this.codec = settings.serialization().codec(settings.expirySeconds() + 10, scores::nowSeconds);
    this.channelSender = new ChannelSender(settings, connections, keys, scores, codec);
    this.groupSender = new GroupSender(settings, connections, keys, scores, codec);
    this.histories = new GroupHistoryStore(connections, keys, codec, settings);
    this.liveness = new LivenessMarks(connections, keys, settings.livenessSeconds(), settings.groupExpirySeconds());
    this.memberships = new LocalMemberships(connections, keys, scores, settings.groupExpirySeconds());
    this.processKeys = new ProcessKeyReceiver(connections, keys, scores, codec, liveness, clientPrefix,
        settings.defaultCapacity(), settings.expirySeconds());
    this.namedChannels = new NamedChannelReceiver(connections, keys, scores, codec);
    for (Shard s : connections.shards()) {
      s.commands(); // connect eagerly, in the background
    }
  }

  /**
   * Starts a builder with channels_redis's defaults.
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The random client prefix in this layer's process-local channel names ({@code specific.<prefix>!...}).
   * @return the random client prefix in this layer's process-local channel names ({@code specific.<prefix>!...})
   */
  public String clientPrefix() {
    return clientPrefix;
  }

  /** {@return the number of shards (hosts); 1 in cluster mode} */
  public int shardCount() {
    return connections.shards().size();
  }

  @Override
  public CompletionStage<Void> send(String channel, Message message) {
    return connections.whenOpen(() -> {
      ChannelNames.requireValidChannelName(channel);
      return channelSender.send(channel, Options.requireStorable(message, MemberCodec.ASGI_CHANNEL));
    });
  }

  @Override
  public CompletionStage<Message> receive(String channel) {
    return connections.whenOpen(() -> {
      ChannelNames.requireValidReceiveName(channel);
      return ChannelNames.isProcessLocal(channel) ? processKeys.receive(channel) : namedChannels.receive(channel);
    });
  }

  @Override
  public CompletionStage<String> newChannel(String prefix) {
    return connections.whenOpen(() -> {
      return CompletableFuture.completedFuture(Options.newChannelName(prefix, clientPrefix));
    });
  }

  /**
   * {@inheritDoc}
   *
   * <p>A channel made by this layer's {@link #newChannel} is also recorded here, and re-added after a
   * Redis outage (Redis may come back empty); its process key gets a liveness mark.
   */
  @Override
  public CompletionStage<Void> groupAdd(String group, String channel) {
    return connections.whenOpen(() -> {
      Options.requireGroupAndChannel(group, channel);
      byte[] key = keys.group(group);
      double score = scores.next();
      Supplier<CompletableFuture<Void>> add = () -> RedisConnections.onShard(connections.shardOf(group),
          redis -> CompletableFuture.allOf(
              redis.zadd(key, score, KeyLayout.bytes(channel)).toCompletableFuture(),
              redis.expire(key, settings.groupExpirySeconds()).toCompletableFuture()));
      if (!processKeys.isOwn(channel)) {
        return add.get();
      }
      liveness.touch(ChannelNames.nonLocalName(channel));
      return memberships.add(group, channel, score, add);
    });
  }

  @Override
  public CompletionStage<Void> groupDiscard(String group, String channel) {
    return connections.whenOpen(() -> {
      Options.requireGroupAndChannel(group, channel);
      byte[] key = keys.group(group);
      return memberships.discard(group, channel,
          () -> RedisConnections.onShard(connections.shardOf(group), redis -> redis.zrem(key, KeyLayout.bytes(channel))))
          .thenApply(removed -> null);
    });
  }

  @Override
  public CompletionStage<Void> groupSend(String group, Message message) {
    return connections.whenOpen(() -> {
      ChannelNames.requireValidGroupName(group);
      return groupSender.send(group, Options.requireStorable(message, MemberCodec.ASGI_CHANNEL));
    });
  }

  /** Keeps group history in Redis, shared by every node (layout in the module README). */
  @Override
  public boolean supportsHistory() {
    return true;
  }

  /**
   * Records the message in the group's history stream (one script: id, append, trim), then sends it to
   * the group with its id; on a single server without encryption both happen in one script. Two nodes
   * recording at once get distinct ids in the order Redis ran their scripts; on the two-step path their
   * group sends may still arrive in the other order.
   */
  @Override
  public CompletionStage<String> groupSendRecorded(String group, Message message, HistoryLimits limits) {
    return connections.whenOpen(() -> {
      ChannelNames.requireValidGroupName(group);
      Objects.requireNonNull(limits, "limits");
      Message storable = Options.requireStorable(message, MemberCodec.ASGI_CHANNEL);
      GroupHistoryStore.Recording recording = histories.recording(group, storable, limits);
      CompletableFuture<Long> oneStep = groupSender.sendRecorded(group, storable, recording);
      return oneStep != null ? oneStep.thenApply(id -> Long.toString(id))
          : histories.record(group, recording).thenCompose(id -> groupSender.send(group,
              storable.with(HISTORY_ID, Long.toString(id))).thenApply(v -> Long.toString(id)));
    });
  }

  @Override
  public CompletionStage<HistoryPage> groupHistory(String group, String after, int max) {
    return connections.whenOpen(() -> {
      ChannelNames.requireValidGroupName(group);
      return histories.read(group, after, max);
    });
  }

  @Override
  public CompletionStage<Void> flush() {
    return connections.whenOpen(() -> {
      processKeys.clear();
      return Flush.deleteEverywhere(connections, keys.everything());
    });
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    return connections.closeAsync(() -> {
      ChannelLayerUnavailableException gone = new ChannelLayerUnavailableException("the Redis channel layer was closed", null);
      processKeys.failAll(gone);
      namedChannels.failAll(gone);
      return namedChannels.settle(); // what a poller popped for nobody goes back before the connections close
    });
  }

  @Override
  public String toString() {
    return "RedisChannelLayer" + connections.describeShards() + "[prefix=" + settings.prefix() + ", clientPrefix="
        + clientPrefix + "]";
  }

  /**
   * Configures a {@link RedisChannelLayer}. Every setter validates at once and throws {@link
   * IllegalArgumentException} quoting the bad value. Defaults are channels_redis's: host {@code
   * redis://localhost:6379}, prefix {@code asgi}, expiry 60 s, group expiry 86,400 s, capacity 100.
   */
  public static final class Builder extends RedisLayerBuilder<Builder> {
    private final List<RedisURI> cluster = new ArrayList<>();
    private String prefix = "asgi";
    private long expirySeconds = 60;
    private long groupExpirySeconds = 86_400;
    private long livenessSeconds = 60;
    private int capacity = 100;
    private final ChannelCapacities channelCapacities = new ChannelCapacities();
    private Clock clock = Clock.systemUTC();

    private Builder() {
      super(12);
    }

    /**
     * channels_redis's {@code random_prefix_length}: how many random bytes precede each stored message
     * (default 12, so equal messages stay distinct sorted-set members; 0 lets them collapse, as in
     * channels_redis). Must match every peer's.
     * @param length the number of random bytes, 0 to 1024
     * @return this builder
     */
    public Builder randomPrefixLength(int length) {
      serialization.randomPrefixLength(length);
      return this;
    }

    /**
     * Uses Redis Cluster, with these seed nodes ({@code redis://host:port}), instead of standalone hosts.
     * Cluster mode uses its own key layout (hash tags, see the module README) and so does not share
     * channels with Python channels_redis.
     * @param seedUris the seed URIs
     * @return this builder
     */
    public Builder cluster(String... seedUris) {
      if (seedUris == null || seedUris.length == 0) {
        throw new IllegalArgumentException("cluster mode needs at least one seed node URI");
      }
      for (String u : seedUris) {
        cluster.add(Options.redisUri(u, "cluster seed"));
      }
      return this;
    }

    /**
     * The key prefix (default {@code asgi}); must match the Python peers'.
     * @param prefix the key prefix
     * @return this builder
     */
    public Builder prefix(String prefix) {
      if (prefix == null || prefix.contains("{") || prefix.contains("}")) {
        throw new IllegalArgumentException("the key prefix must be a string without '{' or '}': '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * How long an unreceived message lives (default 60 s); whole seconds, at least 1.
     * @param expiry how long an unreceived message lives
     * @return this builder
     */
    public Builder expiry(Duration expiry) {
      this.expirySeconds = Options.wholeSeconds(expiry, "expiry");
      return this;
    }

    /**
     * How long a group membership lives after its last groupAdd (default 86,400 s); whole seconds.
     * @param groupExpiry how long a group membership lives after its last groupAdd
     * @return this builder
     */
    public Builder groupExpiry(Duration groupExpiry) {
      this.groupExpirySeconds = Options.wholeSeconds(groupExpiry, "groupExpiry");
      return this;
    }

    /**
     * After how long without a liveness mark a Java process counts as gone (default 60 s; whole
     * seconds): group sends then skip its process key and remove its channels from the group. Every
     * layer marks its process keys while it runs (refreshed every quarter of this); Python processes
     * never do, so their members are never removed by this rule. It is the lifetime of this layer's own
     * marks, so peers need not agree on it.
     * @param timeout how long to wait
     * @return this builder
     */
    public Builder livenessTimeout(Duration timeout) {
      this.livenessSeconds = Options.wholeSeconds(timeout, "livenessTimeout");
      return this;
    }

    /**
     * The default capacity of a Redis key (default 100); at least 1.
     * @param capacity the default capacity of a Redis key
     * @return this builder
     */
    public Builder capacity(int capacity) {
      this.capacity = Options.atLeastOne(capacity, "capacity");
      return this;
    }

    /**
     * A capacity for channels whose full name matches {@code glob} (fnmatch); the first match wins.
     * @param glob the glob pattern
     * @param capacity the capacity
     * @return this builder
     */
    public Builder channelCapacity(String glob, int capacity) {
      if (glob == null || glob.isEmpty()) {
        throw new IllegalArgumentException("a channel capacity glob must not be empty: '" + glob + "'");
      }
      if (capacity < 1) {
        throw new IllegalArgumentException("the capacity for '" + glob + "' must be at least 1: '" + capacity + "'");
      }
      channelCapacities.addGlob(glob, capacity);
      return this;
    }

    /**
     * A capacity for channels whose full name matches {@code regex} at its start; the first match wins.
     * @param regex the regular expression
     * @param capacity the capacity
     * @return this builder
     */
    public Builder channelCapacity(Pattern regex, int capacity) {
      Objects.requireNonNull(regex, "regex");
      if (capacity < 1) {
        throw new IllegalArgumentException("the capacity for /" + regex + "/ must be at least 1: '" + capacity + "'");
      }
      channelCapacities.addRegex(regex, capacity);
      return this;
    }

    /**
     * The clock for message scores and expiry (default the system UTC clock); tests pass a fake one.
     * @param clock the clock for message scores and expiry
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the layer and starts connecting in the background (operations wait for the connection;
     * if Redis is unreachable they fail with {@link ChannelLayerUnavailableException}).
     * @return the redis channel layer
     * @throws IllegalArgumentException if both hosts and cluster nodes are given
     */
    public RedisChannelLayer build() {
      connection.hostsOrDefault(); // checks credentials and TLS files before any thread starts
      if (!connection.hosts.isEmpty() && !cluster.isEmpty()) {
        throw new IllegalArgumentException("give either hosts/sentinels or cluster seed nodes, not both: "
            + connection.hosts.size() + " hosts and " + cluster.size() + " cluster nodes");
      }
      return new RedisChannelLayer(new Settings(
          connection, cluster.isEmpty() ? null : List.copyOf(cluster),
          prefix, expirySeconds, groupExpirySeconds, livenessSeconds, capacity, channelCapacities.copy(), serialization.copy(),
          clock));
    }
  }
}
