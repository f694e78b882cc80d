package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.internal.ChannelCapacities;
import io.channels4j.layers.ChannelFullException;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayerUnavailableException;
import io.channels4j.layers.ChannelNames;
import io.channels4j.redis.internal.ConsistentHash;
import io.channels4j.redis.internal.Fernet;
import io.channels4j.redis.internal.MsgPack;
import io.channels4j.redis.internal.Options;
import io.channels4j.redis.internal.Script;
import io.channels4j.redis.internal.Shard;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.math.BigDecimal;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * (12 random bytes + msgpack, or + Fernet(msgpack) with {@code symmetric_encryption_keys}), scores (epoch
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

  private static final Logger LOG = LoggerFactory.getLogger(RedisChannelLayer.class);

  static final String ASGI_CHANNEL = "__asgi_channel__";
  static final int RANDOM_PREFIX_LENGTH = 12;
  /** Seconds a blocking pop waits before it is re-issued (channels_redis's brpop_timeout). */
  static final long BLOCK_SECONDS = 5;
  private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9\\-_.]+");

  /** Purge, capacity check, add and expire in one step; returns 1 if the key was full. */
  static final Script SEND = new Script(
      "redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[3])\n"
          + "if redis.call('ZCOUNT', KEYS[1], '-inf', '+inf') >= tonumber(ARGV[4]) then\n"
          + "  return 1\n"
          + "end\n"
          + "redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])\n"
          + "redis.call('EXPIRE', KEYS[1], ARGV[5])\n"
          + "return 0\n",
      ScriptOutputType.INTEGER);

  /** channels_redis's group send script, verbatim. */
  static final Script GROUP_SEND = new Script(
      "\n                local over_capacity = 0\n"
          + "                local current_time = ARGV[#ARGV - 1]\n"
          + "                local expiry = ARGV[#ARGV]\n"
          + "                for i=1,#KEYS do\n"
          + "                    if redis.call('ZCOUNT', KEYS[i], '-inf', '+inf') < tonumber(ARGV[i + #KEYS]) then\n"
          + "                        redis.call('ZADD', KEYS[i], current_time, ARGV[i])\n"
          + "                        redis.call('EXPIRE', KEYS[i], expiry)\n"
          + "                    else\n"
          + "                        over_capacity = over_capacity + 1\n"
          + "                    end\n"
          + "                end\n"
          + "                return over_capacity\n            ",
      ScriptOutputType.INTEGER);

  /**
   * A whole group send in one step, for a single (non-cluster) Redis server without encryption or
   * per-channel capacities, where this script can see every key. KEYS[1] is the group key; ARGV: 1 the
   * stored member up to its {@code __asgi_channel__} value (12 random bytes, then the msgpack map with
   * one more entry than the message, ending with the key {@code "__asgi_channel__"}), 2 the score,
   * 3 the group purge bound, 4 the channel purge bound, 5 the capacity, 6 the expiry, 7 the key prefix.
   * Returns {members, keys over capacity}. The channel keys are derived here, not passed in KEYS:
   * allowed on a single server, which is why cluster and sharded modes keep the two-step path.
   */
  static final Script GROUP_SEND_LOCAL = new Script(
      // 1. Drop expired memberships, then read the rest oldest first (ZREMRANGEBYSCORE + ZRANGE).
      "redis.call('ZREMRANGEBYSCORE', KEYS[1], 0, ARGV[3])\n"
          + "local members = redis.call('ZRANGE', KEYS[1], 0, -1)\n"
          // 2. Group the channels by Redis key: prefix + non-local name (up to and including '!').
          + "local keys, lists = {}, {}\n"
          + "for _, ch in ipairs(members) do\n"
          + "  local bang = string.find(ch, '!', 1, true)\n"
          + "  local key = ARGV[7] .. (bang and string.sub(ch, 1, bang) or ch)\n"
          + "  local list = lists[key]\n"
          + "  if not list then\n"
          + "    list = {}\n"
          + "    lists[key] = list\n"
          + "    keys[#keys + 1] = key\n"
          + "  end\n"
          + "  list[#list + 1] = ch\n"
          + "end\n"
          // msgpack headers, as MsgPack writes them: big-endian lengths.
          + "local function be(n, width)\n"
          + "  local b = {}\n"
          + "  for i = width, 1, -1 do\n"
          + "    b[i] = n % 256\n"
          + "    n = math.floor(n / 256)\n"
          + "  end\n"
          + "  return string.char(unpack(b))\n"
          + "end\n"
          + "local function str(s)\n"
          + "  local n = #s\n"
          + "  if n < 32 then return string.char(0xa0 + n) .. s end\n"
          + "  if n < 256 then return string.char(0xd9, n) .. s end\n"
          + "  if n < 65536 then return string.char(0xda) .. be(n, 2) .. s end\n"
          + "  return string.char(0xdb) .. be(n, 4) .. s\n"
          + "end\n"
          + "local function arr(n)\n"
          + "  if n < 16 then return string.char(0x90 + n) end\n"
          + "  if n < 65536 then return string.char(0xdc) .. be(n, 2) end\n"
          + "  return string.char(0xdd) .. be(n, 4)\n"
          + "end\n"
          // 3. Per key, as SEND/GROUP_SEND: purge, capacity check, add (member + channel list), expire.
          + "local over = 0\n"
          + "local capacity = tonumber(ARGV[5])\n"
          + "for _, key in ipairs(keys) do\n"
          + "  local list = lists[key]\n"
          + "  redis.call('ZREMRANGEBYSCORE', key, 0, ARGV[4])\n"
          + "  if redis.call('ZCARD', key) < capacity then\n"
          + "    local parts = {ARGV[1], arr(#list)}\n"
          + "    for _, ch in ipairs(list) do\n"
          + "      parts[#parts + 1] = str(ch)\n"
          + "    end\n"
          + "    redis.call('ZADD', key, ARGV[2], table.concat(parts))\n"
          + "    redis.call('EXPIRE', key, ARGV[6])\n"
          + "  else\n"
          + "    over = over + 1\n"
          + "  end\n"
          + "end\n"
          + "return {#members, over}\n",
      ScriptOutputType.MULTI);

  /** channels_redis's in-flight cleanup (re-queue popped but unacknowledged messages), with KEYS. */
  static final Script CLEANUP = new Script(
      "local backed_up = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')\n"
          + "for i = #backed_up, 1, -2 do\n"
          + "  redis.call('ZADD', KEYS[1], backed_up[i], backed_up[i - 1])\n"
          + "end\n"
          + "redis.call('DEL', KEYS[2])\n"
          + "return 0\n",
      ScriptOutputType.INTEGER);

  private final Settings settings;
  private final List<Shard> shards;
  private final List<AbstractRedisClient> clients;
  private final ClientResources resources;
  private final boolean ownResources;
  private final String clientPrefix = UUID.randomUUID().toString().replace("-", "");
  private final Fernet fernet;
  /** Whether group sends use {@link #GROUP_SEND_LOCAL} (one server, no encryption, one capacity). */
  private final boolean oneScriptGroupSend;
  private final AtomicLong lastScoreBits = new AtomicLong();
  private final ConcurrentHashMap<String, LocalBuffer> buffers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ProcessKey> processKeys = new ConcurrentHashMap<>();
  private final int drainBatch;
  private final ConcurrentHashMap<String, NormalChannel> normals = new ConcurrentHashMap<>();
  private final Object closeLock = new Object();
  private volatile boolean closed;
  private CompletableFuture<Void> closing;
  private volatile long lastSweepNanos = System.nanoTime();

  private RedisChannelLayer(Settings settings) {
    this.settings = settings;
    this.drainBatch = Math.max(1, Math.min(64, settings.defaultCapacity));
    this.fernet = settings.encryptionKeys.isEmpty() ? null : Fernet.fromSecrets(settings.encryptionKeys);
    this.oneScriptGroupSend = settings.cluster == null && settings.hosts.size() == 1 && fernet == null
        && settings.capacities.uniform();
    this.ownResources = settings.resources == null;
    this.resources = ownResources
        ? ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(1)
            .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
            .build()
        : settings.resources;
    List<Shard> ss = new ArrayList<>();
    List<AbstractRedisClient> cs = new ArrayList<>();
    if (settings.cluster != null) {
      RedisClusterClient client = RedisClusterClient.create(resources, settings.cluster);
      client.setOptions(ClusterClientOptions.builder(clientOptions(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)).build());
      Shard s = new Shard(0, "cluster " + describe(settings.cluster.get(0)),
          // lettuce's async cluster connect needs the topology loaded first
          () -> client.refreshPartitionsAsync().toCompletableFuture()
              .thenCompose(v -> client.connectAsync(ByteArrayCodec.INSTANCE)));
      client.addListener(listenerFor(s));
      ss.add(s);
      cs.add(client);
    } else {
      for (RedisURI uri : settings.hosts) {
        RedisClient client = RedisClient.create(resources);
        client.setOptions(clientOptions());
        Shard s = new Shard(ss.size(), describe(uri), () -> client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture());
        client.addListener(listenerFor(s));
        ss.add(s);
        cs.add(client);
      }
    }
    this.shards = List.copyOf(ss);
    this.clients = List.copyOf(cs);
    for (Shard s : shards) {
      s.commands(); // connect eagerly, in the background
    }
  }

  /** Starts a builder with channels_redis's defaults. */
  public static Builder builder() {
    return new Builder();
  }

  private static String describe(RedisURI uri) {
    if (uri.getSentinelMasterId() != null) {
      return "sentinel master '" + uri.getSentinelMasterId() + "'";
    }
    if (uri.getSocket() != null) {
      return uri.getSocket();
    }
    return uri.getHost() + ":" + uri.getPort();
  }

  private ClientOptions clientOptions() {
    return clientOptions(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
  }

  /**
   * Lettuce options: auto-reconnect, command timeouts (longer for blocking pops), and what happens to
   * commands while disconnected: standalone shards reject them at once (fail fast); a cluster must
   * accept them, because lettuce opens node connections lazily and would reject the first command to a
   * node, so there an outage surfaces after {@code commandTimeout}.
   */
  private ClientOptions clientOptions(ClientOptions.DisconnectedBehavior disconnected) {
    long timeoutMs = settings.commandTimeout.toMillis();
    TimeoutOptions.TimeoutSource source = new TimeoutOptions.TimeoutSource() {
      @Override
      public long getTimeout(RedisCommand<?, ?, ?> command) {
        if (command.getType() == CommandType.BZPOPMIN) {
          return TimeUnit.SECONDS.toMillis(BLOCK_SECONDS) + timeoutMs;
        }
        return timeoutMs;
      }

      @Override
      public TimeUnit getTimeUnit() {
        return TimeUnit.MILLISECONDS;
      }
    };
    return ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(disconnected)
        .timeoutOptions(TimeoutOptions.builder().timeoutSource(source).build())
        .socketOptions(SocketOptions.builder().connectTimeout(settings.commandTimeout).keepAlive(true).build())
        .build();
  }

  private static RedisConnectionStateListener listenerFor(Shard s) {
    return new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        s.restored(connection);
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        s.lost(connection);
      }
    };
  }

  // ------------------------------------------------------------------------------------------ API

  /** The random client prefix in this layer's process-local channel names ({@code specific.<prefix>!...}). */
  public String clientPrefix() {
    return clientPrefix;
  }

  /** The number of shards (hosts); 1 in cluster mode. */
  public int shardCount() {
    return shards.size();
  }

  @Override
  public CompletionStage<Void> send(String channel, Message message) {
    try {
      checkOpen();
      ChannelNames.requireValidChannelName(channel);
      Objects.requireNonNull(message, "message");
      if (message.has(ASGI_CHANNEL)) {
        throw new IllegalArgumentException("messages must not contain the reserved key '" + ASGI_CHANNEL + "'");
      }
      boolean local = ChannelNames.isProcessLocal(channel);
      String nonLocal = ChannelNames.nonLocalName(channel);
      // channels_redis hashes the full name of a '!' channel (django/channels#1492) and round-robins
      // normal channels; hashing the non-local name keeps one key per channel: FIFO and exact capacity.
      Shard shard = shards.get(ConsistentHash.shard(nonLocal, shards.size()));
      double score = nextScore();
      byte[] member = serialize(message.asMap(), local ? ASGI_CHANNEL : null, local ? channel : null, score);
      int capacity = settings.capacities.of(channel, settings.defaultCapacity);
      byte[] key = channelKey(nonLocal);
      byte[][] args = {member, scoreArg(score), bytes(Long.toString(purgeBefore(score, settings.expirySeconds))),
          bytes(Integer.toString(capacity)), bytes(Long.toString(settings.expirySeconds))};
      return shard.commands()
          .thenCompose(redis -> SEND.<Long>run(redis, new byte[][] {key}, args))
          .handle((full, e) -> {
            if (e != null) {
              throw failure(e, shard);
            }
            if (full != null && full == 1L) {
              throw new ChannelFullException(channel, capacity);
            }
            return (Void) null;
          });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Message> receive(String channel) {
    try {
      checkOpen();
      ChannelNames.requireValidReceiveName(channel);
      if (ChannelNames.isProcessLocal(channel)) {
        int bang = channel.indexOf('!');
        int start = bang - clientPrefix.length();
        boolean own = start >= 0 && channel.startsWith(clientPrefix, start) && (start == 0 || channel.charAt(start - 1) == '.');
        if (!own) {
          throw new IllegalArgumentException("this layer can only receive process-local channels made by its own"
              + " newChannel (client prefix " + clientPrefix + "): '" + channel + "'");
        }
        return receiveLocal(channel);
      }
      return receiveNormal(channel);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<String> newChannel(String prefix) {
    try {
      checkOpen();
      if (prefix == null || !PREFIX.matcher(prefix).matches()
          || prefix.length() + 2 + 64 >= ChannelNames.MAX_NAME_LENGTH) {
        throw new IllegalArgumentException("a channel prefix must be ASCII letters, digits, '-', '_' or '.', at most "
            + (ChannelNames.MAX_NAME_LENGTH - 67) + " characters: '" + prefix + "'");
      }
      return CompletableFuture.completedFuture(
          prefix + "." + clientPrefix + "!" + UUID.randomUUID().toString().replace("-", ""));
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
      Shard shard = shards.get(ConsistentHash.shard(group, shards.size()));
      byte[] key = groupKey(group);
      double score = nextScore();
      return onShard(shard, redis -> {
        CompletableFuture<Long> add = redis.zadd(key, score, bytes(channel)).toCompletableFuture();
        CompletableFuture<Boolean> exp = redis.expire(key, settings.groupExpirySeconds).toCompletableFuture();
        return CompletableFuture.allOf(add, exp);
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
      Shard shard = shards.get(ConsistentHash.shard(group, shards.size()));
      byte[] key = groupKey(group);
      return onShard(shard, redis -> redis.zrem(key, bytes(channel))).thenApply(removed -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> groupSend(String group, Message message) {
    try {
      checkOpen();
      ChannelNames.requireValidGroupName(group);
      Objects.requireNonNull(message, "message");
      if (message.has(ASGI_CHANNEL)) {
        throw new IllegalArgumentException("messages must not contain the reserved key '" + ASGI_CHANNEL + "'");
      }
      Shard groupShard = shards.get(ConsistentHash.shard(group, shards.size()));
      byte[] key = groupKey(group);
      double score = nextScore();
      if (oneScriptGroupSend) {
        return groupSendInOneScript(group, groupShard, key, message, score);
      }
      return onShard(groupShard, redis -> {
        redis.zremrangebyscore(key, Range.create(0L, purgeBefore(score, settings.groupExpirySeconds)));
        return redis.zrange(key, 0, -1);
      }).thenCompose(members -> deliverToGroup(group, message, members, score));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The group send of {@link #GROUP_SEND_LOCAL}: one EVALSHA, the member list never leaves Redis. */
  private CompletableFuture<Void> groupSendInOneScript(String group, Shard shard, byte[] key, Message message, double score) {
    // The member up to the channel list: encode with an empty list, then drop its header byte (0x90).
    byte[] full = serialize(message.asMap(), ASGI_CHANNEL, List.of(), score);
    byte[] head = Arrays.copyOf(full, full.length - 1);
    byte[][] args = {
        head,
        scoreArg(score),
        bytes(Long.toString(purgeBefore(score, settings.groupExpirySeconds))),
        bytes(Long.toString(purgeBefore(score, settings.expirySeconds))),
        bytes(Integer.toString(settings.defaultCapacity)),
        bytes(Long.toString(settings.expirySeconds)),
        bytes(settings.prefix)};
    return shard.commands()
        .thenCompose(redis -> GROUP_SEND_LOCAL.<List<Object>>run(redis, new byte[][] {key}, args))
        .handle((r, e) -> {
          if (e != null) {
            throw failure(e, shard);
          }
          long over = (Long) r.get(1);
          if (over > 0) {
            LOG.info("{} of {} channels over capacity in group {}", over, r.get(0), group);
          }
          return null;
        });
  }

  /** One Redis key's share of a group send. */
  private static final class Batch {
    final byte[] key;
    final List<String> channels = new ArrayList<>(2);
    final int capacity;
    final int shard;
    byte[] member;

    Batch(byte[] key, int capacity, int shard) {
      this.key = key;
      this.capacity = capacity;
      this.shard = shard;
    }
  }

  private CompletableFuture<Void> deliverToGroup(String group, Message message, List<byte[]> members, double score) {
    if (members.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<String, Batch> byKey = new LinkedHashMap<>();
    for (byte[] m : members) {
      String channel = new String(m, StandardCharsets.UTF_8);
      String nonLocal = ChannelNames.nonLocalName(channel);
      Batch b = byKey.get(nonLocal);
      if (b == null) {
        b = new Batch(channelKey(nonLocal), settings.capacities.of(channel, settings.defaultCapacity), ConsistentHash.shard(nonLocal, shards.size()));
        byKey.put(nonLocal, b);
      }
      b.channels.add(channel);
    }
    Map<Integer, List<Batch>> byShard = new LinkedHashMap<>();
    for (Batch b : byKey.values()) {
      b.member = serialize(message.asMap(), ASGI_CHANNEL, b.channels, score);
      byShard.computeIfAbsent(b.shard, k -> new ArrayList<>()).add(b);
    }
    byte[] scoreArg = scoreArg(score);
    byte[] expiryArg = bytes(Long.toString(settings.expirySeconds));
    Range<Long> purge = Range.create(0L, purgeBefore(score, settings.expirySeconds));
    List<CompletableFuture<Long>> results = new ArrayList<>();
    for (Map.Entry<Integer, List<Batch>> e : byShard.entrySet()) {
      Shard shard = shards.get(e.getKey());
      List<List<Batch>> scriptRuns = settings.cluster == null ? List.of(e.getValue()) : bySlot(e.getValue());
      CompletableFuture<Long> shardResult = shard.commands().thenCompose(redis -> {
        List<CompletableFuture<Long>> fs = new ArrayList<>();
        for (Batch b : e.getValue()) {
          fs.add(redis.zremrangebyscore(b.key, purge).toCompletableFuture());
        }
        CompletableFuture<Long> over = CompletableFuture.completedFuture(0L);
        for (List<Batch> run : scriptRuns) {
          byte[][] keys = new byte[run.size()][];
          byte[][] args = new byte[run.size() * 2 + 2][];
          for (int i = 0; i < run.size(); i++) {
            keys[i] = run.get(i).key;
            args[i] = run.get(i).member;
            args[run.size() + i] = bytes(Integer.toString(run.get(i).capacity));
          }
          args[args.length - 2] = scoreArg;
          args[args.length - 1] = expiryArg;
          CompletableFuture<Long> r = GROUP_SEND.run(redis, keys, args);
          over = over.thenCombine(r, Long::sum);
        }
        return CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).thenCombine(over, (v, n) -> n);
      }).handle((n, ex) -> {
        if (ex != null) {
          throw failure(ex, shard);
        }
        return n;
      });
      results.add(shardResult);
    }
    return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
      long over = 0;
      for (CompletableFuture<Long> r : results) {
        over += r.join();
      }
      if (over > 0) {
        LOG.info("{} of {} channels over capacity in group {}", over, members.size(), group);
      }
      return null;
    });
  }

  private static List<List<Batch>> bySlot(List<Batch> batches) {
    Map<Integer, List<Batch>> slots = new LinkedHashMap<>();
    for (Batch b : batches) {
      slots.computeIfAbsent(SlotHash.getSlot(b.key), k -> new ArrayList<>()).add(b);
    }
    return new ArrayList<>(slots.values());
  }

  @Override
  public CompletionStage<Void> flush() {
    try {
      checkOpen();
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (Shard s : shards) {
        fs.add(onShard(s, redis -> deleteByScan(redis, ScanCursor.INITIAL)));
      }
      for (LocalBuffer b : buffers.values()) {
        b.clear();
      }
      return CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0]));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Deletes every key under the prefix with SCAN (no KEYS, so it also works on a cluster). */
  private CompletableFuture<Void> deleteByScan(RedisClusterAsyncCommands<byte[], byte[]> redis, ScanCursor cursor) {
    ScanArgs args = ScanArgs.Builder.matches(globEscape(settings.prefix) + "*").limit(1000);
    return redis.scan(cursor, args).toCompletableFuture().thenCompose((KeyScanCursor<byte[]> c) -> {
      CompletableFuture<Long> del = CompletableFuture.completedFuture(0L);
      if (!c.getKeys().isEmpty()) {
        List<CompletableFuture<Long>> dels = new ArrayList<>();
        for (byte[] k : c.getKeys()) {
          dels.add(redis.del(k).toCompletableFuture());
        }
        del = CompletableFuture.allOf(dels.toArray(new CompletableFuture<?>[0])).thenApply(v -> 0L);
      }
      return del.thenCompose(v -> c.isFinished() ? CompletableFuture.completedFuture(null) : deleteByScan(redis, c));
    });
  }

  private static String globEscape(String s) {
    return s.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    synchronized (closeLock) {
      if (closing != null) {
        return closing;
      }
      closed = true;
      ChannelLayerUnavailableException gone = new ChannelLayerUnavailableException("the Redis channel layer was closed", null);
      for (LocalBuffer b : buffers.values()) {
        b.failAll(gone);
      }
      for (NormalChannel n : normals.values()) {
        n.failAll(gone);
      }
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (Shard s : shards) {
        fs.add(s.closeAsync());
      }
      closing = CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0]))
          .handle((v, e) -> null)
          .thenCompose(v -> {
            List<CompletableFuture<Void>> cs = new ArrayList<>();
            for (AbstractRedisClient c : clients) {
              cs.add(c.shutdownAsync(0, 2, TimeUnit.SECONDS));
            }
            return CompletableFuture.allOf(cs.toArray(new CompletableFuture<?>[0])).handle((x, e) -> null);
          })
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
    for (Shard s : shards) {
      where.add(s.description());
    }
    return "RedisChannelLayer" + where + "[prefix=" + settings.prefix + ", clientPrefix=" + clientPrefix + "]";
  }

  // ------------------------------------------------------------------------------- serialization

  private byte[] serialize(Map<String, Object> fields, String extraKey, Object extraValue, double score) {
    byte[] body = MsgPack.encode(fields, extraKey, extraValue);
    if (fernet != null) {
      body = fernet.encrypt(body, (long) Math.floor(score));
    }
    byte[] out = new byte[RANDOM_PREFIX_LENGTH + body.length];
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < RANDOM_PREFIX_LENGTH; i += 4) {
      int v = r.nextInt();
      out[i] = (byte) v;
      out[i + 1] = (byte) (v >>> 8);
      out[i + 2] = (byte) (v >>> 16);
      out[i + 3] = (byte) (v >>> 24);
    }
    System.arraycopy(body, 0, out, RANDOM_PREFIX_LENGTH, body.length);
    return out;
  }

  /** A decoded member: the message and its {@code __asgi_channel__} (null, a String or a List). */
  private static final class Decoded {
    final Message message;
    final Object channels;

    Decoded(Message message, Object channels) {
      this.message = message;
      this.channels = channels;
    }
  }

  @SuppressWarnings("unchecked")
  private Decoded deserialize(byte[] member) {
    if (member.length < RANDOM_PREFIX_LENGTH) {
      throw new IllegalArgumentException("a stored message must be at least " + RANDOM_PREFIX_LENGTH + " bytes, got "
          + member.length);
    }
    byte[] body = member;
    int off = RANDOM_PREFIX_LENGTH;
    int len = member.length - RANDOM_PREFIX_LENGTH;
    if (fernet != null) {
      body = fernet.decrypt(member, off, len, settings.expirySeconds + 10, Math.floorDiv(now().toEpochMilli(), 1000));
      off = 0;
      len = body.length;
    }
    Object v = MsgPack.decode(body, off, len);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("a stored message must be a msgpack map, got " + (v == null ? "nil" : v.getClass().getSimpleName()));
    }
    Map<String, Object> map = (Map<String, Object>) v;
    Object channels = map.remove(ASGI_CHANNEL);
    return new Decoded(Message.fromMap(map), channels);
  }

  // --------------------------------------------------------------------------------- time & keys

  private Instant now() {
    return settings.clock.instant();
  }

  /** Epoch seconds on the layer's clock, strictly increasing per layer so equal clock readings keep order. */
  private double nextScore() {
    Instant t = now();
    double nowSeconds = t.getEpochSecond() + t.getNano() / 1e9;
    while (true) {
      long lastBits = lastScoreBits.get();
      double last = Double.longBitsToDouble(lastBits);
      double next = nowSeconds > last ? nowSeconds : Math.nextUp(last);
      if (lastScoreBits.compareAndSet(lastBits, Double.doubleToRawLongBits(next))) {
        return next;
      }
    }
  }

  private static long purgeBefore(double score, long expirySeconds) {
    return (long) Math.floor(score) - expirySeconds;
  }

  private boolean expired(double score) {
    Instant t = now();
    double nowSeconds = t.getEpochSecond() + t.getNano() / 1e9;
    return score < nowSeconds - settings.expirySeconds;
  }

  private static byte[] scoreArg(double score) {
    return bytes(BigDecimal.valueOf(score).toPlainString());
  }

  private byte[] channelKey(String nonLocal) {
    return bytes(settings.cluster == null ? settings.prefix + nonLocal : settings.prefix + "{" + nonLocal + "}");
  }

  private byte[] groupKey(String group) {
    return bytes(settings.cluster == null ? settings.prefix + ":group:" + group : settings.prefix + ":group:{" + group + "}");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void checkOpen() {
    if (closed) {
      throw new ChannelLayerUnavailableException("the Redis channel layer is closed", null);
    }
  }

  /** Maps a Redis failure to the layer's exceptions; keeps the layer's own ones. */
  /** Runs {@code op} on {@code shard}'s connection; a Redis failure becomes {@link #failure}'s exception. */
  private static <T> CompletableFuture<T> onShard(
      Shard shard, Function<RedisClusterAsyncCommands<byte[], byte[]>, ? extends CompletionStage<T>> op) {
    return shard.commands().thenCompose(op).handle((v, e) -> {
      if (e != null) {
        throw failure(e, shard);
      }
      return v;
    });
  }

  private static RuntimeException failure(Throwable e, Shard shard) {
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

  private void retryLater(Runnable r) {
    if (closed) {
      return;
    }
    try {
      resources.eventExecutorGroup().schedule(r, 100, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      LOG.debug("could not schedule a retry (shutting down?)", e);
    }
  }

  // ------------------------------------------------------------------ process-local receiving

  /** A delivered message with its score, waiting in a local buffer. */
  private static final class Entry {
    final Message message;
    final double score;

    Entry(Message message, double score) {
      this.message = message;
      this.score = score;
    }
  }

  /** The messages and receivers of one process-local channel; bounded, dropping the oldest when full. */
  private final class LocalBuffer {
    private final ArrayDeque<Entry> items = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Message>> waiters = new ArrayDeque<>();
    private boolean removed;
    /** The channel's process key, looked up once per buffer. */
    private ProcessKey processKey;

    synchronized void clear() {
      items.clear();
    }

    void failAll(Throwable t) {
      List<CompletableFuture<Message>> ws;
      synchronized (this) {
        ws = new ArrayList<>(waiters);
        waiters.clear();
      }
      for (CompletableFuture<Message> w : ws) {
        w.completeExceptionally(t);
      }
    }
  }

  private CompletableFuture<Message> receiveLocal(String channel) {
    maybeSweep();
    CompletableFuture<Message> f = new CompletableFuture<>();
    while (true) {
      LocalBuffer b = buffers.computeIfAbsent(channel, k -> new LocalBuffer());
      synchronized (b) {
        if (b.removed) {
          continue;
        }
        Entry e;
        while ((e = b.items.poll()) != null) {
          if (!expired(e.score)) {
            break;
          }
        }
        // An emptied buffer stays (with its process key) for the next receive; maybeSweep drops idle ones.
        if (e != null) {
          f.complete(e.message);
          return f;
        }
        b.waiters.add(f);
        if (b.processKey == null) {
          b.processKey = processKeys.computeIfAbsent(ChannelNames.nonLocalName(channel), ProcessKey::new);
        }
      }
      ProcessKey pk = b.processKey;
      pk.waiters.incrementAndGet();
      f.whenComplete((m, ex) -> {
        pk.waiters.decrementAndGet();
        if (ex != null) {
          synchronized (b) {
            b.waiters.remove(f);
          }
        }
      });
      for (ProcessLoop loop : pk.loops) {
        loop.kick();
      }
      return f;
    }
  }

  private void deliverLocal(String channel, Entry entry) {
    while (true) {
      LocalBuffer b = buffers.computeIfAbsent(channel, k -> new LocalBuffer());
      CompletableFuture<Message> w;
      synchronized (b) {
        if (b.removed) {
          continue;
        }
        w = b.waiters.poll();
        if (w == null) {
          b.items.add(entry);
          if (b.items.size() > settings.defaultCapacity) {
            b.items.poll();
            LOG.debug("local buffer of {} is full ({}): dropped its oldest message", channel, settings.defaultCapacity);
          }
          return;
        }
      }
      if (w.complete(entry.message)) {
        return;
      }
    }
  }

  /** Drops expired messages from buffers nobody reads (channels_redis#212), at most every expiry/2. */
  private void maybeSweep() {
    long now = System.nanoTime();
    if (now - lastSweepNanos < TimeUnit.SECONDS.toNanos(Math.max(1, settings.expirySeconds / 2))) {
      return;
    }
    lastSweepNanos = now;
    for (Iterator<Map.Entry<String, LocalBuffer>> it = buffers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, LocalBuffer> e = it.next();
      LocalBuffer b = e.getValue();
      synchronized (b) {
        b.items.removeIf(x -> expired(x.score));
        if (b.items.isEmpty() && b.waiters.isEmpty() && !b.removed) {
          b.removed = true;
          it.remove();
        }
      }
    }
  }

  private void dispatchPopped(ScoredValue<byte[]> popped) {
    Decoded d;
    try {
      d = deserialize(popped.getValue());
    } catch (RuntimeException e) {
      LOG.warn("dropped an undecodable message from this layer's process key: {}", e.toString());
      return;
    }
    if (expired(popped.getScore())) {
      LOG.debug("dropped an expired message for {}", d.channels);
      return;
    }
    Entry entry = new Entry(d.message, popped.getScore());
    if (d.channels instanceof String) {
      deliverLocal((String) d.channels, entry);
    } else if (d.channels instanceof List) {
      for (Object c : (List<?>) d.channels) {
        if (c instanceof String) {
          deliverLocal((String) c, entry);
        }
      }
    } else {
      LOG.warn("dropped a message on this layer's process key without a valid {}: {}", ASGI_CHANNEL, d.channels);
    }
  }

  /**
   * One of this layer's process keys ({@code prefix + "specific.<client prefix>!"}; one per channel
   * prefix in use) with its receive loops, one per shard.
   */
  private final class ProcessKey {
    final byte[] key;
    final AtomicInteger waiters = new AtomicInteger();
    final ProcessLoop[] loops;

    ProcessKey(String nonLocal) {
      this.key = channelKey(nonLocal);
      this.loops = new ProcessLoop[shards.size()];
      for (int i = 0; i < loops.length; i++) {
        loops[i] = new ProcessLoop(shards.get(i), key, waiters);
      }
    }
  }

  /** The receive loop of one process key on one shard: BZPOPMIN on a dedicated connection while anyone waits. */
  private final class ProcessLoop {
    private final Shard shard;
    private final byte[] key;
    private final AtomicInteger waiters;
    private boolean running;
    private Shard.Blocking connection;
    private boolean failing;

    ProcessLoop(Shard shard, byte[] key, AtomicInteger waiters) {
      this.shard = shard;
      this.key = key;
      this.waiters = waiters;
    }

    void kick() {
      synchronized (this) {
        if (running || closed || waiters.get() == 0) {
          return;
        }
        running = true;
      }
      iterate();
    }

    private void iterate() {
      CompletableFuture<Shard.Blocking> conn;
      synchronized (this) {
        conn = connection != null ? CompletableFuture.completedFuture(connection) : shard.acquireBlocking();
      }
      conn.thenCompose(c -> {
        synchronized (this) {
          connection = c;
        }
        return c.commands.bzpopmin(BLOCK_SECONDS, key).toCompletableFuture();
      }).whenComplete((KeyValue<byte[], ScoredValue<byte[]>> kv, Throwable e) -> {
        if (e != null) {
          failed(e);
          return;
        }
        failing = false;
        if (kv != null && kv.hasValue()) {
          dispatchPopped(kv.getValue());
          if (wanted()) {
            drain();
            return;
          }
        }
        next();
      });
    }

    /**
     * While receivers still wait after a pop, takes up to {@code DRAIN_BATCH} more queued messages in
     * one non-blocking ZPOPMIN, so a backlog costs one round trip per batch instead of per message.
     */
    private void drain() {
      Shard.Blocking c;
      synchronized (this) {
        c = connection;
      }
      c.commands.zpopmin(key, drainBatch).toCompletableFuture().whenComplete((List<ScoredValue<byte[]>> popped, Throwable e) -> {
        if (e != null) {
          failed(e);
          return;
        }
        for (ScoredValue<byte[]> sv : popped) {
          dispatchPopped(sv);
        }
        if (popped.size() == drainBatch && wanted()) {
          drain();
        } else {
          next();
        }
      });
    }

    private boolean wanted() {
      return !closed && waiters.get() > 0;
    }

    private void failed(Throwable e) {
      if (!closed && !failing) {
        failing = true;
        LOG.debug("receive loop on {} failed, retrying: {}", shard.description(), e.toString());
      }
      synchronized (this) {
        if (closed) {
          running = false;
          return;
        }
      }
      retryLater(this::iterate);
    }

    /** Blocks again while anyone waits; otherwise stops and gives the connection back. */
    private void next() {
      synchronized (this) {
        if (closed || waiters.get() == 0) {
          running = false;
          if (connection != null) {
            shard.release(connection);
            connection = null;
          }
          return;
        }
      }
      iterate();
    }
  }

  // ----------------------------------------------------------------------- normal channels

  /** Receivers of one normal (not process-local) channel and its per-shard pollers. */
  private final class NormalChannel {
    final String name;
    final byte[] key;
    final ArrayDeque<CompletableFuture<Message>> waiters = new ArrayDeque<>();
    final boolean[] running = new boolean[shards.size()];

    NormalChannel(String name) {
      this.name = name;
      this.key = channelKey(name);
    }

    synchronized boolean hasWaiters() {
      waiters.removeIf(CompletableFuture::isDone);
      return !waiters.isEmpty();
    }

    void failAll(Throwable t) {
      List<CompletableFuture<Message>> ws;
      synchronized (this) {
        ws = new ArrayList<>(waiters);
        waiters.clear();
      }
      for (CompletableFuture<Message> w : ws) {
        w.completeExceptionally(t);
      }
    }

    /** Hands the message to the oldest live receiver; false if there is none. */
    boolean offer(Message m) {
      while (true) {
        CompletableFuture<Message> w;
        synchronized (this) {
          w = waiters.poll();
        }
        if (w == null) {
          return false;
        }
        if (w.complete(m)) {
          return true;
        }
      }
    }

    void kick(int shardIndex) {
      synchronized (this) {
        if (running[shardIndex] || closed || !hasWaiters()) {
          return;
        }
        running[shardIndex] = true;
      }
      Shard shard = shards.get(shardIndex);
      byte[] inflight = channelKey(name + "$inflight");
      shard.acquireBlocking().thenCompose(c ->
          CLEANUP.<Long>run(c.commands, new byte[][] {key, inflight}).handle((v, e) -> c))
          .whenComplete((c, e) -> {
            if (e != null) {
              synchronized (this) {
                running[shardIndex] = false;
              }
              if (!closed) {
                retryLater(() -> kick(shardIndex));
              }
              return;
            }
            poll(shardIndex, shard, c);
          });
    }

    private void poll(int shardIndex, Shard shard, Shard.Blocking c) {
      c.commands.bzpopmin(BLOCK_SECONDS, key).toCompletableFuture().whenComplete((kv, e) -> {
        if (e != null) {
          synchronized (this) {
            running[shardIndex] = false;
          }
          shard.release(c);
          if (!closed) {
            retryLater(() -> kick(shardIndex));
          }
          return;
        }
        if (kv != null && kv.hasValue()) {
          handle(shard, kv.getValue());
        }
        synchronized (this) {
          if (closed || !hasWaiters()) {
            running[shardIndex] = false;
            shard.release(c);
            normals.computeIfPresent(name, (k, n) -> n.idle() ? null : n);
            return;
          }
        }
        poll(shardIndex, shard, c);
      });
    }

    synchronized boolean idle() {
      if (hasWaiters()) {
        return false;
      }
      for (boolean r : running) {
        if (r) {
          return false;
        }
      }
      return true;
    }

    private void handle(Shard shard, ScoredValue<byte[]> popped) {
      Decoded d;
      try {
        d = deserialize(popped.getValue());
      } catch (RuntimeException e) {
        LOG.warn("dropped an undecodable message from channel {}: {}", name, e.toString());
        return;
      }
      if (expired(popped.getScore())) {
        return;
      }
      if (!offer(d.message)) {
        // Nobody wants it any more (the receive was cancelled): put it back, in its place.
        shard.commands().thenCompose(redis -> redis.zadd(key, popped.getScore(), popped.getValue()).toCompletableFuture())
            .whenComplete((v, e) -> {
              if (e != null) {
                LOG.warn("could not return an unclaimed message to {}: {}", name, e.toString());
              }
            });
      }
    }
  }

  private CompletableFuture<Message> receiveNormal(String channel) {
    CompletableFuture<Message> f = new CompletableFuture<>();
    NormalChannel n;
    while (true) {
      n = normals.computeIfAbsent(channel, NormalChannel::new);
      synchronized (n) {
        if (normals.get(channel) != n) {
          continue;
        }
        n.waiters.add(f);
        break;
      }
    }
    NormalChannel nc = n;
    f.whenComplete((m, e) -> {
      synchronized (nc) {
        nc.waiters.remove(f);
      }
    });
    for (int i = 0; i < shards.size(); i++) {
      nc.kick(i);
    }
    return f;
  }

  // ------------------------------------------------------------------------------- settings

  /** The validated configuration. */
  private static final class Settings {
    List<RedisURI> hosts;
    List<RedisURI> cluster;
    String prefix;
    long expirySeconds;
    long groupExpirySeconds;
    int defaultCapacity;
    ChannelCapacities capacities;
    List<String> encryptionKeys;
    Clock clock;
    Duration commandTimeout;
    ClientResources resources;
  }

  /**
   * Configures a {@link RedisChannelLayer}. Every setter validates at once and throws {@link
   * IllegalArgumentException} quoting the bad value. Defaults are channels_redis's: host {@code
   * redis://localhost:6379}, prefix {@code asgi}, expiry 60 s, group expiry 86,400 s, capacity 100.
   */
  public static final class Builder {
    private final List<RedisURI> hosts = new ArrayList<>();
    private final List<RedisURI> cluster = new ArrayList<>();
    private String prefix = "asgi";
    private long expirySeconds = 60;
    private long groupExpirySeconds = 86_400;
    private int capacity = 100;
    private final ChannelCapacities channelCapacities = new ChannelCapacities();
    private final List<String> encryptionKeys = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Duration commandTimeout = Duration.ofSeconds(5);
    private ClientResources resources;

    private Builder() {}

    /**
     * Adds a Redis server (a shard) by URI: {@code redis://[user:password@]host[:port][/db]}, {@code
     * rediss://...} for TLS, {@code redis-socket:///path}, or {@code redis-sentinel://host:26379[,host2]/db#master}.
     * Several hosts shard channels and groups with channels_redis's CRC32 hash, in the order given: list
     * them in the same order as the Python peers' {@code hosts}.
     */
    public Builder host(String redisUri) {
      hosts.add(Options.redisUri(redisUri, "host"));
      return this;
    }

    /**
     * Adds a Sentinel-managed master as one shard: {@code masterName} and one or more sentinels as
     * {@code host:port} or {@code redis://host:port}. Lettuce asks the sentinels for the current master
     * and follows failovers on reconnect.
     */
    public Builder sentinel(String masterName, String... sentinels) {
      if (masterName == null || masterName.isBlank()) {
        throw new IllegalArgumentException("a sentinel master name must not be blank: '" + masterName + "'");
      }
      if (sentinels == null || sentinels.length == 0) {
        throw new IllegalArgumentException("a sentinel shard needs at least one sentinel address for master '"
            + masterName + "'");
      }
      RedisURI.Builder b = null;
      for (String s : sentinels) {
        RedisURI u = Options.redisUri(s != null && !s.contains("://") ? "redis://" + s : s, "sentinel");
        if (b == null) {
          b = RedisURI.Builder.sentinel(u.getHost(), u.getPort(), masterName);
        } else {
          b.withSentinel(u.getHost(), u.getPort());
        }
      }
      hosts.add(b.build());
      return this;
    }

    /**
     * Uses Redis Cluster, with these seed nodes ({@code redis://host:port}), instead of standalone hosts.
     * Cluster mode uses its own key layout (hash tags, see the module README) and so does not share
     * channels with Python channels_redis.
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

    /** The key prefix (default {@code asgi}); must match the Python peers'. */
    public Builder prefix(String prefix) {
      if (prefix == null || prefix.contains("{") || prefix.contains("}")) {
        throw new IllegalArgumentException("the key prefix must be a string without '{' or '}': '" + prefix + "'");
      }
      this.prefix = prefix;
      return this;
    }

    /** How long an unreceived message lives (default 60 s); whole seconds, at least 1. */
    public Builder expiry(Duration expiry) {
      this.expirySeconds = wholeSeconds(expiry, "expiry");
      return this;
    }

    /** How long a group membership lives after its last groupAdd (default 86,400 s); whole seconds. */
    public Builder groupExpiry(Duration groupExpiry) {
      this.groupExpirySeconds = wholeSeconds(groupExpiry, "groupExpiry");
      return this;
    }

    private static long wholeSeconds(Duration d, String what) {
      if (d == null || d.compareTo(Duration.ofSeconds(1)) < 0 || d.getNano() != 0) {
        throw new IllegalArgumentException(what + " must be a whole number of seconds, at least 1: '" + d + "'");
      }
      return d.getSeconds();
    }

    /** The default capacity of a Redis key (default 100); at least 1. */
    public Builder capacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("capacity must be at least 1: '" + capacity + "'");
      }
      this.capacity = capacity;
      return this;
    }

    /** A capacity for channels whose full name matches {@code glob} (fnmatch); the first match wins. */
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

    /** A capacity for channels whose full name matches {@code regex} at its start; the first match wins. */
    public Builder channelCapacity(Pattern regex, int capacity) {
      Objects.requireNonNull(regex, "regex");
      if (capacity < 1) {
        throw new IllegalArgumentException("the capacity for /" + regex + "/ must be at least 1: '" + capacity + "'");
      }
      channelCapacities.addRegex(regex, capacity);
      return this;
    }

    /**
     * Encrypts messages with Fernet as channels_redis's {@code symmetric_encryption_keys}: the first key
     * encrypts, every key decrypts (for rotation). Must match the Python peers' keys.
     */
    public Builder symmetricEncryptionKeys(String... keys) {
      if (keys == null || keys.length == 0) {
        throw new IllegalArgumentException("give at least one symmetric encryption key");
      }
      for (String k : keys) {
        if (k == null || k.isEmpty()) {
          throw new IllegalArgumentException("symmetric encryption keys must not be empty: '" + k + "'");
        }
        encryptionKeys.add(k);
      }
      return this;
    }

    /** The clock for message scores and expiry (default the system UTC clock); tests pass a fake one. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How long a Redis command may take before it fails (default 5 s). */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = Options.positive("commandTimeout", timeout);
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

    /**
     * Builds the layer and starts connecting in the background (operations wait for the connection;
     * if Redis is unreachable they fail with {@link ChannelLayerUnavailableException}).
     *
     * @throws IllegalArgumentException if both hosts and cluster nodes are given
     */
    public RedisChannelLayer build() {
      if (!hosts.isEmpty() && !cluster.isEmpty()) {
        throw new IllegalArgumentException("give either hosts/sentinels or cluster seed nodes, not both: "
            + hosts.size() + " hosts and " + cluster.size() + " cluster nodes");
      }
      Settings s = new Settings();
      s.hosts = hosts.isEmpty() && cluster.isEmpty() ? List.of(RedisURI.create(Options.DEFAULT_HOST)) : List.copyOf(hosts);
      s.cluster = cluster.isEmpty() ? null : List.copyOf(cluster);
      s.prefix = prefix;
      s.expirySeconds = expirySeconds;
      s.groupExpirySeconds = groupExpirySeconds;
      s.defaultCapacity = capacity;
      s.capacities = channelCapacities.copy();
      s.encryptionKeys = List.copyOf(encryptionKeys);
      s.clock = clock;
      s.commandTimeout = commandTimeout;
      s.resources = resources;
      return new RedisChannelLayer(s);
    }
  }
}
