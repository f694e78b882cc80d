package io.channels4j.redis;

import io.channels4j.Message;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.UnblockType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives normal (named, not process-local) channels, which any process may read: per channel, one
 * blocking poller per shard while someone waits (first channels_redis's in-flight cleanup, then
 * BZPOPMIN on a pooled dedicated connection), handing each message to the oldest live receiver. A
 * message nobody claims any more (its receive was cancelled) goes back to Redis at its original score.
 */
final class NamedChannelReceiver {

  private static final Logger LOG = LoggerFactory.getLogger(NamedChannelReceiver.class);

  private final RedisConnections connections;
  private final KeyLayout keys;
  private final Scores scores;
  private final MemberCodec codec;
  private final ConcurrentHashMap<String, NamedChannel> channels = new ConcurrentHashMap<>();
  /** Put-backs of popped messages nobody claimed, still on their way to Redis: close waits for them. */
  private final Set<CompletableFuture<?>> puttingBack = ConcurrentHashMap.newKeySet();
  /** Poll loops running now: close wakes them and waits for them. */
  private final Set<Poller> pollers = ConcurrentHashMap.newKeySet();

  NamedChannelReceiver(RedisConnections connections, KeyLayout keys, Scores scores, MemberCodec codec) {
    this.connections = connections;
    this.keys = keys;
    this.scores = scores;
    this.codec = codec;
  }

  /** The next message of the named {@code channel}, from whichever shard has one first. */
  CompletableFuture<Message> receive(String channel) {
    CompletableFuture<Message> f = new CompletableFuture<>();
    NamedChannel n;
    while (true) {
      n = channels.computeIfAbsent(channel, NamedChannel::new);
      synchronized (n) {
        if (channels.get(channel) != n) {
          continue;
        }
        n.waiters.add(f);
        break;
      }
    }
    NamedChannel nc = n;
    f.whenComplete((m, e) -> {
      synchronized (nc) {
        nc.waiters.remove(f);
      }
    });
    for (int i = 0; i < connections.shards().size(); i++) {
      nc.kick(i);
    }
    return f;
  }

  /**
   * For close, after {@link #failAll}: wakes every poller still blocked in BZPOPMIN (CLIENT UNBLOCK; a
   * cancelled receive leaves its poller blocked, and it pops whatever is sent meanwhile), waits until
   * each has handed over or put back what it popped, and until every put-back is in Redis. Closing the
   * connections before that loses the message (e.g. one sent while a worker stops gracefully).
   */
  CompletableFuture<Void> settle() {
    List<CompletableFuture<Void>> stops = new ArrayList<>();
    for (Poller p : pollers) {
      Shard.Blocking b = p.connection;
      if (b != null && b.clientId() != null) {
        p.shard.commands().thenCompose(r -> r.clientUnblock(b.clientId(), UnblockType.TIMEOUT).toCompletableFuture());
      }
      stops.add(p.stopped);
    }
    return Stages.allOf(stops).handle((v, e) -> null)
        .thenCompose(v -> Stages.allOf(List.copyOf(puttingBack)).handle((x, e) -> null));
  }

  /** One running poll loop: on which shard and connection, and when it has stopped. */
  private static final class Poller {
    final Shard shard;
    final CompletableFuture<Void> stopped = new CompletableFuture<>();
    volatile Shard.Blocking connection;

    Poller(Shard shard) {
      this.shard = shard;
    }
  }

  /** Fails every waiting receive (close). */
  void failAll(Throwable t) {
    List<CompletableFuture<Message>> ws = new ArrayList<>();
    for (NamedChannel n : channels.values()) {
      synchronized (n) {
        ws.addAll(n.waiters);
        n.waiters.clear();
      }
    }
    ws.forEach(w -> w.completeExceptionally(t));
  }

  /** Receivers of one named channel and its per-shard pollers. */
  private final class NamedChannel {
    final String name;
    final byte[] key;
    final ArrayDeque<CompletableFuture<Message>> waiters = new ArrayDeque<>();
    final boolean[] running = new boolean[connections.shards().size()];
    final Poller[] pollerOf = new Poller[connections.shards().size()];

    NamedChannel(String name) {
      this.name = name;
      this.key = keys.channel(name);
    }

    synchronized boolean hasWaiters() {
      waiters.removeIf(CompletableFuture::isDone);
      return !waiters.isEmpty();
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
        if (running[shardIndex] || connections.closed() || !hasWaiters()) {
          return;
        }
        running[shardIndex] = true;
        Poller p = new Poller(connections.shards().get(shardIndex));
        pollerOf[shardIndex] = p;
        pollers.add(p);
      }
      Shard shard = connections.shards().get(shardIndex);
      shard.acquireBlocking().thenCompose(c ->
          Scripts.CLEANUP.<Long>run(c.commands(), new byte[][] {key, keys.inflight(name)}).handle((v, e) -> c))
          .whenComplete((c, e) -> {
            if (e != null) {
              stopped(shardIndex);
              connections.retryLater(() -> kick(shardIndex));
              return;
            }
            poll(shardIndex, shard, c);
          });
    }

    private void stopped(int shardIndex) {
      Poller p;
      synchronized (this) {
        running[shardIndex] = false;
        p = pollerOf[shardIndex];
        pollerOf[shardIndex] = null;
      }
      if (p != null) {
        pollers.remove(p);
        p.stopped.complete(null);
      }
    }

    private void poll(int shardIndex, Shard shard, Shard.Blocking c) {
      Poller me;
      synchronized (this) {
        me = pollerOf[shardIndex];
      }
      if (me != null) {
        me.connection = c;
      }
      if (connections.closed()) {
        // Closing: no new blocking pop (settle may have sent its CLIENT UNBLOCKs already).
        shard.release(c);
        stopped(shardIndex);
        return;
      }
      c.commands().bzpopmin(RedisConnections.BLOCK_SECONDS, key).toCompletableFuture().whenComplete((kv, e) -> {
        if (e != null) {
          stopped(shardIndex);
          shard.release(c);
          connections.retryLater(() -> kick(shardIndex));
          return;
        }
        if (kv != null && kv.hasValue()) {
          handle(shard, kv.getValue());
        }
        boolean stop;
        synchronized (this) {
          stop = connections.closed() || !hasWaiters();
        }
        if (stop) {
          shard.release(c);
          stopped(shardIndex);
          channels.computeIfPresent(name, (k, n) -> n.idle() ? null : n);
          return;
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
      MemberCodec.Decoded d;
      try {
        d = codec.decode(popped.getValue());
      } catch (RuntimeException e) {
        LOG.warn("dropped an undecodable message from channel {}: {}", name, e.toString());
        return;
      }
      if (scores.expired(popped.getScore())) {
        return;
      }
      if (!offer(d.message())) {
        // Nobody wants it any more (the receive was cancelled): put it back, in its place.
        CompletableFuture<Long> back = shard.commands()
            .thenCompose(redis -> redis.zadd(key, popped.getScore(), popped.getValue()).toCompletableFuture());
        puttingBack.add(back);
        back.whenComplete((v, e) -> {
          puttingBack.remove(back);
          if (e != null) {
            LOG.warn("could not return an unclaimed message to {}: {}", name, e.toString());
          }
        });
      }
    }
  }
}
