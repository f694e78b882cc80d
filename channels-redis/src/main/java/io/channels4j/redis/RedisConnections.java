package io.channels4j.redis;

import io.channels4j.ChannelsException;
import io.channels4j.layers.ChannelLayerUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis side of one layer, shared by both Redis layers: lettuce's threads (own or shared), one
 * client and one {@link Shard} per host (or one for a whole cluster), the connection options
 * (auto-reconnect, timeouts, fail-fast while disconnected), the loss/recovery log lines, the mapping of
 * Redis failures to the layer's exceptions, and the close sequence (connections, clients, threads).
 */
final class RedisConnections {

  private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
  /** Seconds a blocking pop waits before it is re-issued (channels_redis's brpop_timeout). */
  static final long BLOCK_SECONDS = 5;

  private final String layerName;
  private final Duration commandTimeout;
  /** TLS trust and client certificate for rediss:// hosts, or null for the JDK's defaults. */
  private final SslOptions ssl;
  private final ClientResources resources;
  private final boolean ownResources;
  private final List<Shard> shards = new ArrayList<>();
  private final List<AbstractRedisClient> clients = new ArrayList<>();
  private final List<Shard> clusterShards = new ArrayList<>();
  private final List<Future<?>> timers = new ArrayList<>();
  private final Object closeLock = new Object();
  private volatile boolean closed;
  private CompletableFuture<Void> closing;

  /**
   * @param layerName how errors name the layer ("Redis channel layer", "pub/sub layer")
   * @param given shared lettuce resources, or null to own a small set (2 I/O threads)
   * @param ssl TLS options (CA, client certificate), or null
   */
  RedisConnections(String layerName, Duration commandTimeout, ClientResources given, SslOptions ssl) {
    this.layerName = layerName;
    this.ssl = ssl;
    this.commandTimeout = commandTimeout;
    this.ownResources = given == null;
    this.resources = ownResources
        ? ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(1)
            .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofMillis(500), 2, TimeUnit.MILLISECONDS))
            .build()
        : given;
  }

  /** Adds a standalone (or Sentinel) shard; returns its lettuce client (for pub/sub connections). */
  RedisClient addHost(RedisURI uri) {
    RedisClient client = RedisClient.create(resources);
    client.setOptions(clientOptions(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS));
    Shard s = new Shard(shards.size(), describe(uri),
        () -> client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture());
    add(client, s);
    return client;
  }

  /**
   * Adds a whole cluster as one shard. Commands are accepted while disconnected: lettuce opens node
   * connections lazily and would reject the first command to a node, so an outage surfaces after
   * {@code commandTimeout}.
   */
  void addCluster(List<RedisURI> seeds) {
    RedisClusterClient client = RedisClusterClient.create(resources, seeds);
    client.setOptions(ClusterClientOptions.builder(clientOptions(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)).build());
    Shard s = new Shard(0, "cluster " + describe(seeds.get(0)),
        // lettuce's async cluster connect needs the topology loaded first
        () -> client.refreshPartitionsAsync().toCompletableFuture()
            .thenCompose(v -> client.connectAsync(ByteArrayCodec.INSTANCE)));
    add(client, s);
    clusterShards.add(s);
  }

  private void add(AbstractRedisClient client, Shard s) {
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        s.restored(connection);
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        s.lost(connection);
      }
    });
    shards.add(s);
    clients.add(client);
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

  /** Auto-reconnect, per-command timeouts (blocking pops get {@link #BLOCK_SECONDS} more), keep-alive. */
  private ClientOptions clientOptions(ClientOptions.DisconnectedBehavior disconnected) {
    long timeoutMs = commandTimeout.toMillis();
    TimeoutOptions.TimeoutSource source = new TimeoutOptions.TimeoutSource() {
      @Override
      public long getTimeout(RedisCommand<?, ?, ?> command) {
        return command.getType() == CommandType.BZPOPMIN ? TimeUnit.SECONDS.toMillis(BLOCK_SECONDS) + timeoutMs : timeoutMs;
      }

      @Override
      public TimeUnit getTimeUnit() {
        return TimeUnit.MILLISECONDS;
      }
    };
    ClientOptions.Builder b = ClientOptions.builder();
    if (ssl != null) {
      b.sslOptions(ssl);
    }
    return b
        .autoReconnect(true)
        .disconnectedBehavior(disconnected)
        .timeoutOptions(TimeoutOptions.builder().timeoutSource(source).build())
        .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
        .build();
  }

  List<Shard> shards() {
    return shards;
  }

  /** The shard of {@code name} by channels_redis's CRC32 hash. */
  Shard shardOf(String name) {
    return shards.get(ConsistentHash.shard(name, shards.size()));
  }

  boolean closed() {
    return closed;
  }

  /** Throws {@link ChannelLayerUnavailableException} once the layer is closed. */
  private void checkOpen() {
    if (closed) {
      throw new ChannelLayerUnavailableException("the " + layerName + " is closed", null);
    }
  }

  /**
   * Runs a layer operation: fails its stage with {@link ChannelLayerUnavailableException} once the
   * layer is closed, and turns what {@code op} throws (bad names) into a failed stage.
   */
  <T> CompletionStage<T> whenOpen(Supplier<? extends CompletionStage<T>> op) {
    return Stages.attempt(() -> {
      checkOpen();
      return op.get();
    });
  }

  /** Runs {@code r} on a lettuce thread in 100 ms, unless the layer closed meanwhile. */
  void retryLater(Runnable r) {
    if (closed) {
      return;
    }
    try {
      resources.eventExecutorGroup().schedule(r, 100, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      LOG.debug("could not schedule a retry (shutting down?)", e);
    }
  }

  /**
   * Runs {@code r(shard)} off the I/O threads each time a standalone shard is back after an outage (a
   * cluster's node connections come and go on their own, so cluster shards are left out).
   */
  void whenBack(Consumer<Shard> r) {
    for (Shard s : shards) {
      if (!clusterShards.contains(s)) {
        s.onRestored(() -> resources.eventExecutorGroup().execute(() -> {
          if (!closed) {
            r.accept(s);
          }
        }));
      }
    }
  }

  /** Runs {@code r} every {@code period} on a lettuce thread until the layer closes. */
  void every(Duration period, Runnable r) {
    Runnable guarded = () -> {
      if (!closed) {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.warn("a periodic task of the {} failed: {}", layerName, e.toString());
        }
      }
    };
    synchronized (closeLock) {
      if (!closed) {
        timers.add(resources.eventExecutorGroup().scheduleWithFixedDelay(
            guarded, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS));
      }
    }
  }

  /** Runs {@code op} on {@code shard}'s connection; a Redis failure becomes {@link #failure}'s exception. */
  static <T> CompletableFuture<T> onShard(
      Shard shard, Function<RedisClusterAsyncCommands<byte[], byte[]>, ? extends CompletionStage<T>> op) {
    return shard.commands().thenCompose(op).handle((v, e) -> {
      if (e != null) {
        throw failure(e, shard);
      }
      return v;
    });
  }

  /** Maps a Redis failure to {@link ChannelLayerUnavailableException} naming the shard; keeps the layer's own. */
  static RuntimeException failure(Throwable e, Shard shard) {
    Throwable cause = e;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ChannelsException || cause instanceof IllegalArgumentException) {
      return (RuntimeException) cause;
    }
    if (cause instanceof RedisException || cause instanceof IllegalStateException) {
      return new ChannelLayerUnavailableException(
          "Redis " + shard.description() + " is unavailable: " + Failures.explain(cause), cause);
    }
    return cause instanceof RuntimeException r ? r : new CompletionException(cause);
  }

  /**
   * Marks the layer closed (once), runs {@code beforeConnections} (fail waiters, close pub/sub
   * connections), then closes every connection, the clients and owned threads.
   */
  CompletableFuture<Void> closeAsync(Supplier<CompletableFuture<Void>> beforeConnections) {
    synchronized (closeLock) {
      if (closing != null) {
        return closing;
      }
      closed = true;
      timers.forEach(t -> t.cancel(false));
      CompletableFuture<Void> first = beforeConnections.get().handle((v, e) -> null);
      closing = first.thenCompose(v -> Stages.allOf(shards.stream().map(Shard::closeAsync).toList()))
          .handle((v, e) -> null)
          .thenCompose(v -> Stages.allOf(clients.stream().map(c -> c.shutdownAsync(0, 2, TimeUnit.SECONDS)).toList()))
          .handle((x, e) -> null)
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

  /** Where the shards are, for {@code toString}. */
  List<String> describeShards() {
    return shards.stream().map(Shard::description).toList();
  }
}
