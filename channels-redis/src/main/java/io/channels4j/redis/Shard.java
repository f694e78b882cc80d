package io.channels4j.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis deployment the layer talks to (a standalone server, a Sentinel-managed master, or a whole
 * cluster): one shared, pipelined command connection, plus dedicated connections for blocking pops,
 * kept in a small idle pool. Connects lazily and retries a failed connect on the next use. Logs one
 * line when Redis is lost and one when it is back.
 */
final class Shard {

  private static final Logger LOG = LoggerFactory.getLogger(Shard.class);

  /**
   * A dedicated connection for blocking commands, with its commands and its Redis client id (for CLIENT
   * UNBLOCK at close; null on a cluster, where the id would be some node's, or if CLIENT ID failed).
   */
  record Blocking(StatefulConnection<byte[], byte[]> connection, RedisClusterAsyncCommands<byte[], byte[]> commands,
      Long clientId) {}

  private final int index;
  private final String description;
  private final Supplier<CompletableFuture<? extends StatefulConnection<byte[], byte[]>>> connector;
  private final Object lock = new Object();
  private CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> commands;
  private StatefulConnection<byte[], byte[]> commandConnection;
  private final ArrayDeque<Blocking> idle = new ArrayDeque<>();
  private final List<StatefulConnection<byte[], byte[]>> all = new ArrayList<>();
  private final List<Runnable> onRestored = new CopyOnWriteArrayList<>();
  private boolean closed;
  private boolean down;
  private long downSince;

  /**
   * @param index the shard's position in the ring
   * @param description where it is, for logs and errors (no credentials)
   * @param connector opens a new connection
   */
  Shard(int index, String description,
      Supplier<CompletableFuture<? extends StatefulConnection<byte[], byte[]>>> connector) {
    this.index = index;
    this.description = description;
    this.connector = connector;
  }

  /** The position in the ring. */
  int index() {
    return index;
  }

  /** Where this shard is. */
  String description() {
    return description;
  }

  @SuppressWarnings("unchecked")
  static RedisClusterAsyncCommands<byte[], byte[]> async(StatefulConnection<byte[], byte[]> c) {
    if (c instanceof StatefulRedisClusterConnection<?, ?>) {
      return ((StatefulRedisClusterConnection<byte[], byte[]>) c).async();
    }
    return ((StatefulRedisConnection<byte[], byte[]>) c).async();
  }

  private CompletableFuture<StatefulConnection<byte[], byte[]>> open() {
    CompletableFuture<StatefulConnection<byte[], byte[]>> f = new CompletableFuture<>();
    CompletableFuture<? extends StatefulConnection<byte[], byte[]>> attempt;
    try {
      attempt = connector.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    attempt.whenComplete((c, e) -> {
      if (e != null) {
        f.completeExceptionally(e);
        return;
      }
      boolean close;
      synchronized (lock) {
        close = closed;
        if (!close) {
          all.add(c);
        }
      }
      if (close) {
        c.closeAsync();
        f.completeExceptionally(new IllegalStateException("the channel layer is closed"));
      } else {
        f.complete(c);
      }
    });
    return f;
  }

  /** The shared command connection's commands (connecting if needed). */
  CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> commands() {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("the channel layer is closed"));
      }
      CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> c = commands;
      if (c != null && !c.isCompletedExceptionally()) {
        return c;
      }
      CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> next = open().thenApply(conn -> {
        synchronized (lock) {
          commandConnection = conn;
        }
        return async(conn);
      });
      commands = next;
      return next;
    }
  }

  /** A dedicated connection for a blocking command; give it back with {@link #release}. */
  CompletableFuture<Blocking> acquireBlocking() {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("the channel layer is closed"));
      }
      Blocking b = idle.poll();
      if (b != null) {
        return CompletableFuture.completedFuture(b);
      }
    }
    return open().thenCompose(c -> {
      RedisClusterAsyncCommands<byte[], byte[]> commands = async(c);
      if (c instanceof StatefulRedisClusterConnection<?, ?>) {
        return CompletableFuture.completedFuture(new Blocking(c, commands, null));
      }
      return commands.clientId().toCompletableFuture().handle((id, e) -> new Blocking(c, commands, e == null ? id : null));
    });
  }

  /** Returns a blocking connection to the idle pool (or closes it if the layer closed). */
  void release(Blocking b) {
    synchronized (lock) {
      if (!closed && idle.size() < 8) {
        idle.add(b);
        return;
      }
      all.remove(b.connection());
    }
    b.connection().closeAsync();
  }

  /**
   * Only the shared command connection's state counts (a standalone shard); on a cluster every node
   * connection does. Blocking connections come and go and would make the log flap.
   */
  private boolean counts(Object handler) {
    return commandConnection == null || commandConnection instanceof StatefulRedisClusterConnection
        || handler == commandConnection;
  }

  /** Called when {@code connection} of this shard drops; logs once per outage. */
  void lost(Object connection) {
    synchronized (lock) {
      if (closed || down || !counts(connection)) {
        return;
      }
      down = true;
      downSince = System.nanoTime();
    }
    LOG.warn("Redis {} (shard {}) connection lost: channel layer operations fail fast until it is back", description, index);
  }

  /** Called when {@code connection} of this shard (re)connects; logs the recovery once. */
  void restored(Object connection) {
    long since;
    synchronized (lock) {
      if (closed || !down || !counts(connection)) {
        return;
      }
      down = false;
      since = downSince;
    }
    LOG.info("Redis {} (shard {}) is back after {} ms", description, index, (System.nanoTime() - since) / 1_000_000);
    for (Runnable r : onRestored) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("a recovery step for Redis {} failed: {}", description, e.toString());
      }
    }
  }

  /** Runs {@code r} (on a lettuce thread) each time this shard is back after an outage. */
  void onRestored(Runnable r) {
    onRestored.add(r);
  }

  /** True between a {@link #lost} and the next {@link #restored}. */
  boolean isDown() {
    synchronized (lock) {
      return down;
    }
  }

  /** Closes every connection. */
  CompletableFuture<Void> closeAsync() {
    List<StatefulConnection<byte[], byte[]>> toClose;
    synchronized (lock) {
      closed = true;
      toClose = new ArrayList<>(all);
      all.clear();
      idle.clear();
    }
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (StatefulConnection<byte[], byte[]> c : toClose) {
      fs.add(c.closeAsync());
    }
    return CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0]));
  }
}
