package io.channels4j.redis;

import io.channels4j.Message;
import io.lettuce.core.ScoredValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
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

    private synchronized void stopped(int shardIndex) {
      running[shardIndex] = false;
    }

    private void poll(int shardIndex, Shard shard, Shard.Blocking c) {
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
        synchronized (this) {
          if (connections.closed() || !hasWaiters()) {
            running[shardIndex] = false;
            shard.release(c);
            channels.computeIfPresent(name, (k, n) -> n.idle() ? null : n);
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
        shard.commands().thenCompose(redis -> redis.zadd(key, popped.getScore(), popped.getValue()).toCompletableFuture())
            .whenComplete((v, e) -> {
              if (e != null) {
                LOG.warn("could not return an unclaimed message to {}: {}", name, e.toString());
              }
            });
      }
    }
  }
}
