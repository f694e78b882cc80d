package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayerUnavailableException;
import io.channels4j.layers.ChannelNames;
import io.channels4j.redis.internal.Options;
import io.channels4j.redis.internal.ConsistentHash;
import io.channels4j.redis.internal.MsgPack;
import io.channels4j.redis.internal.Shard;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChannelLayer} on Redis pub/sub, wire-compatible with Python's {@code
 * channels_redis.pubsub.RedisPubSubChannelLayer}: messages are {@code PUBLISH}ed as plain msgpack (no
 * random prefix, no {@code __asgi_channel__}) to the channel name itself, and group messages to {@code
 * {prefix}__group__{group}}; the shard of a name is channels_redis's CRC32 hash of it.
 *
 * <pre>{@code
 * ChannelLayer layer = RedisPubSubChannelLayer.builder().host("redis://127.0.0.1:6379").build();
 * }</pre>
 *
 * <p>Pub/sub is fire-and-forget, and this layer documents the same differences from the core contract
 * as channels_redis's: no capacity, no expiry, no group expiry; a message published while nobody in
 * any process is subscribed to its channel (for example a send to a named channel before its first
 * {@link #receive}, or during a Redis outage) is lost; every subscribed process gets a copy. Unlike
 * channels_redis it re-subscribes after a reconnect (lettuce does it), it keeps a channel subscribed when
 * a receive is cancelled (so the next receive loses nothing; channels_redis unsubscribes), {@link
 * #flush} keeps this process's channels subscribed, and names are validated. Channels made by {@link
 * #newChannel} are {@code prefix.<client>!<uuid>} (the contract's process-local form; channels_redis
 * makes {@code asgispecific.<uuid>}); Python peers send to them like to any name.
 *
 * <p>Futures complete on lettuce's I/O threads: never block in a dependent stage.
 */
public final class RedisPubSubChannelLayer implements ChannelLayer {

  private static final Logger LOG = LoggerFactory.getLogger(RedisPubSubChannelLayer.class);
  private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9\\-_.]+");

  private final String prefix;
  private final int bufferSize;
  private final List<PubSubShard> shards = new ArrayList<>();
  private final ClientResources resources;
  private final boolean ownResources;
  private final String clientPrefix = UUID.randomUUID().toString().replace("-", "");
  private final ConcurrentHashMap<String, LocalQueue> locals = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> groups = new ConcurrentHashMap<>();
  private final Object closeLock = new Object();
  private volatile boolean closed;
  private CompletableFuture<Void> closing;

  private RedisPubSubChannelLayer(Builder b) {
    this.prefix = b.prefix;
    this.bufferSize = b.bufferSize;
    this.ownResources = b.resources == null;
    this.resources = ownResources
        ? ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
            .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
            .build()
        : b.resources;
    List<RedisURI> hosts = b.hosts.isEmpty() ? List.of(RedisURI.create(Options.DEFAULT_HOST)) : b.hosts;
    ClientOptions options = ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .timeoutOptions(TimeoutOptions.enabled(b.commandTimeout))
        .socketOptions(SocketOptions.builder().connectTimeout(b.commandTimeout).keepAlive(true).build())
        .build();
    for (RedisURI uri : hosts) {
      shards.add(new PubSubShard(shards.size(), uri, options));
    }
  }

  /** Starts a builder (defaults: host {@code redis://localhost:6379}, prefix {@code asgi}). */
  public static Builder builder() {
    return new Builder();
  }

  /** One Redis server: a command connection (PUBLISH) and a subscriber connection. */
  private final class PubSubShard {
    final RedisClient client;
    final RedisURI uri;
    final Shard commands;
    private CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> subscriber;

    PubSubShard(int index, RedisURI uri, ClientOptions options) {
      this.uri = uri;
      this.client = RedisClient.create(resources);
      client.setOptions(options);
      this.commands = new Shard(index, uri.getHost() + ":" + uri.getPort(),
          () -> client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture());
      client.addListener(new RedisConnectionStateListener() {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
          commands.restored(connection);
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
          commands.lost(connection);
        }
      });
    }

    synchronized CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> subscriber() {
      if (closed) {
        return CompletableFuture.failedFuture(new ChannelLayerUnavailableException("the pub/sub layer is closed", null));
      }
      if (subscriber == null || subscriber.isCompletedExceptionally()) {
        subscriber = client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture().thenApply(c -> {
          c.addListener(new RedisPubSubAdapter<byte[], byte[]>() {
            @Override
            public void message(byte[] channel, byte[] message) {
              dispatch(new String(channel, StandardCharsets.UTF_8), message);
            }
          });
          return c;
        });
      }
      return subscriber;
    }

    CompletableFuture<Void> subscribe(String name) {
      return subscriber().thenCompose(c -> c.async().subscribe(bytes(name)).toCompletableFuture())
          .handle((v, e) -> {
            if (e != null) {
              throw failure(e, this);
            }
            return null;
          });
    }

    CompletableFuture<Void> unsubscribe(String name) {
      return subscriber().thenCompose(c -> c.async().unsubscribe(bytes(name)).toCompletableFuture())
          .handle((v, e) -> {
            if (e != null) {
              throw failure(e, this);
            }
            return null;
          });
    }

    CompletableFuture<Long> publish(String name, byte[] payload) {
      return commands.commands().thenCompose(r -> r.publish(bytes(name), payload).toCompletableFuture())
          .handle((n, e) -> {
            if (e != null) {
              throw failure(e, this);
            }
            return n;
          });
    }

    CompletableFuture<Void> close() {
      CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> s;
      synchronized (this) {
        s = subscriber;
      }
      CompletableFuture<Void> subClosed = s == null ? CompletableFuture.completedFuture(null)
          : s.handle((c, e) -> c).thenCompose(c -> c == null ? CompletableFuture.completedFuture(null) : c.closeAsync());
      return CompletableFuture.allOf(subClosed, commands.closeAsync()).handle((v, e) -> null)
          .thenCompose(v -> client.shutdownAsync(0, 2, TimeUnit.SECONDS)).handle((v, e) -> null);
    }
  }

  private PubSubShard shardOf(String name) {
    return shards.get(ConsistentHash.shard(name, shards.size()));
  }

  private static RuntimeException failure(Throwable e, PubSubShard shard) {
    Throwable cause = e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ChannelLayerUnavailableException || cause instanceof IllegalArgumentException) {
      return (RuntimeException) cause;
    }
    if (cause instanceof RedisException || cause instanceof IllegalStateException) {
      return new ChannelLayerUnavailableException("Redis " + shard.commands.description() + " is unavailable: "
          + cause.getMessage(), cause);
    }
    return cause instanceof RuntimeException ? (RuntimeException) cause : new CompletionException(cause);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private String groupChannel(String group) {
    return prefix + "__group__" + group;
  }

  private void checkOpen() {
    if (closed) {
      throw new ChannelLayerUnavailableException("the pub/sub layer is closed", null);
    }
  }

  @SuppressWarnings("unchecked")
  private void dispatch(String name, byte[] payload) {
    LocalQueue direct = locals.get(name);
    Set<String> members = groups.get(name);
    if (direct == null && members == null) {
      return;
    }
    Message m;
    try {
      Object v = MsgPack.decode(payload);
      if (!(v instanceof Map)) {
        throw new IllegalArgumentException("not a msgpack map");
      }
      m = Message.fromMap((Map<String, Object>) v);
    } catch (RuntimeException e) {
      LOG.warn("dropped an undecodable message published to {}: {}", name, e.toString());
      return;
    }
    if (direct != null) {
      direct.offer(m);
    }
    if (members != null) {
      for (String member : members) {
        LocalQueue q = locals.get(member);
        if (q != null) {
          q.offer(m);
        }
      }
    }
  }

  @Override
  public CompletionStage<Void> send(String channel, Message message) {
    try {
      checkOpen();
      ChannelNames.requireValidChannelName(channel);
      Objects.requireNonNull(message, "message");
      byte[] payload = MsgPack.encode(message.asMap(), null, null);
      return shardOf(channel).publish(channel, payload).thenApply(n -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Message> receive(String channel) {
    try {
      checkOpen();
      ChannelNames.requireValidReceiveName(channel);
      LocalQueue q = locals.get(channel);
      if (q != null && q.subscribed.isDone() && !q.subscribed.isCompletedExceptionally()) {
        return q.poll();
      }
      LocalQueue lq = subscribeLocal(channel);
      CompletableFuture<Message> f = new CompletableFuture<>();
      lq.subscribed.whenComplete((v, e) -> {
        if (e != null) {
          locals.remove(channel, lq);
          f.completeExceptionally(e);
        } else if (!f.isDone()) {
          CompletableFuture<Message> p = lq.poll();
          p.whenComplete((m, x) -> {
            if (x != null) {
              f.completeExceptionally(x);
            } else {
              f.complete(m);
            }
          });
          f.whenComplete((m, x) -> {
            if (f.isCancelled()) {
              p.cancel(false);
            }
          });
        }
      });
      return f;
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private LocalQueue subscribeLocal(String channel) {
    LocalQueue created = new LocalQueue(bufferSize);
    LocalQueue q = locals.putIfAbsent(channel, created);
    if (q == null) {
      q = created;
      LocalQueue mine = q;
      shardOf(channel).subscribe(channel).whenComplete((v, e) -> {
        if (e != null) {
          locals.remove(channel, mine);
          mine.subscribed.completeExceptionally(e);
        } else {
          mine.subscribed.complete(null);
        }
      });
    }
    return q;
  }

  @Override
  public CompletionStage<String> newChannel(String channelPrefix) {
    try {
      checkOpen();
      if (channelPrefix == null || !PREFIX.matcher(channelPrefix).matches()
          || channelPrefix.length() + 2 + 64 >= ChannelNames.MAX_NAME_LENGTH) {
        throw new IllegalArgumentException("a channel prefix must be ASCII letters, digits, '-', '_' or '.', at most "
            + (ChannelNames.MAX_NAME_LENGTH - 67) + " characters: '" + channelPrefix + "'");
      }
      String name = channelPrefix + "." + clientPrefix + "!" + UUID.randomUUID().toString().replace("-", "");
      return subscribeLocal(name).subscribed.thenApply(v -> name);
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
      String gc = groupChannel(group);
      LocalQueue q = locals.get(channel);
      if (q == null) {
        q = subscribeLocal(channel);
      }
      groups.computeIfAbsent(gc, k -> ConcurrentHashMap.newKeySet()).add(channel);
      return CompletableFuture.allOf(q.subscribed, shardOf(gc).subscribe(gc));
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
      String gc = groupChannel(group);
      boolean[] emptied = {false};
      groups.computeIfPresent(gc, (k, members) -> {
        members.remove(channel);
        emptied[0] = members.isEmpty();
        return members.isEmpty() ? null : members;
      });
      return emptied[0] ? shardOf(gc).unsubscribe(gc) : CompletableFuture.completedFuture(null);
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
      String gc = groupChannel(group);
      return shardOf(gc).publish(gc, MsgPack.encode(message.asMap(), null, null)).thenApply(n -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Drops queued messages and group memberships (unsubscribing the groups); local channels stay subscribed. */
  @Override
  public CompletionStage<Void> flush() {
    try {
      checkOpen();
      for (LocalQueue q : locals.values()) {
        q.clear();
      }
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (String gc : new ArrayList<>(groups.keySet())) {
        groups.remove(gc);
        fs.add(shardOf(gc).unsubscribe(gc));
      }
      return CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0]));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    synchronized (closeLock) {
      if (closing != null) {
        return closing;
      }
      closed = true;
      ChannelLayerUnavailableException gone = new ChannelLayerUnavailableException("the pub/sub layer was closed", null);
      for (LocalQueue q : locals.values()) {
        q.failAll(gone);
      }
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (PubSubShard s : shards) {
        fs.add(s.close());
      }
      closing = CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null)
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
    return "RedisPubSubChannelLayer[shards=" + shards.size() + ", prefix=" + prefix + "]";
  }

  /** A subscribed local channel: FIFO of messages (bounded, oldest dropped) and of receivers. */
  private static final class LocalQueue {
    final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final int bound;

    LocalQueue(int bound) {
      this.bound = bound;
    }

    private final ArrayDeque<Message> items = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<Message>> waiters = new ArrayDeque<>();

    void offer(Message m) {
      while (true) {
        CompletableFuture<Message> w;
        synchronized (this) {
          w = waiters.poll();
          if (w == null) {
            items.add(m);
            if (items.size() > bound) {
              items.poll();
            }
            return;
          }
        }
        if (w.complete(m)) {
          return;
        }
      }
    }

    CompletableFuture<Message> poll() {
      CompletableFuture<Message> f = new CompletableFuture<>();
      synchronized (this) {
        Message m = items.poll();
        if (m != null) {
          f.complete(m);
          return f;
        }
        waiters.add(f);
      }
      f.whenComplete((m, e) -> {
        if (f.isCancelled()) {
          synchronized (this) {
            waiters.remove(f);
          }
        }
      });
      return f;
    }

    synchronized void clear() {
      items.clear();
    }

    void failAll(Throwable t) {
      List<CompletableFuture<Message>> ws;
      synchronized (this) {
        ws = new ArrayList<>(waiters);
        waiters.clear();
      }
      subscribed.completeExceptionally(t);
      for (CompletableFuture<Message> w : ws) {
        w.completeExceptionally(t);
      }
    }
  }

  /** Configures a {@link RedisPubSubChannelLayer}; setters validate at once, quoting bad values. */
  public static final class Builder {
    private final List<RedisURI> hosts = new ArrayList<>();
    private String prefix = "asgi";
    private Duration commandTimeout = Duration.ofSeconds(5);
    private ClientResources resources;
    private int bufferSize = Integer.MAX_VALUE;

    private Builder() {}

    /**
     * How many unreceived messages a local channel buffers before the oldest is dropped (default
     * unbounded, like channels_redis's pub/sub queues; set it to bound memory for slow readers).
     */
    public Builder bufferSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("bufferSize must be at least 1: '" + size + "'");
      }
      this.bufferSize = size;
      return this;
    }

    /** Adds a Redis server (a shard) by URI, in the same order as the Python peers' {@code hosts}. */
    public Builder host(String redisUri) {
      hosts.add(Options.redisUri(redisUri, "host"));
      return this;
    }

    /** The prefix of group channel names, {@code {prefix}__group__{group}} (default {@code asgi}). */
    public Builder prefix(String prefix) {
      if (prefix == null) {
        throw new IllegalArgumentException("the prefix must not be null: 'null'");
      }
      this.prefix = prefix;
      return this;
    }

    /** How long a Redis command may take before it fails (default 5 s). */
    public Builder commandTimeout(Duration timeout) {
      this.commandTimeout = Options.positive("commandTimeout", timeout);
      return this;
    }

    /** Shares lettuce {@link ClientResources}; the layer then does not shut them down. */
    public Builder clientResources(ClientResources resources) {
      this.resources = Objects.requireNonNull(resources, "resources");
      return this;
    }

    /** Builds the layer; connections open on first use. */
    public RedisPubSubChannelLayer build() {
      return new RedisPubSubChannelLayer(this);
    }
  }
}
