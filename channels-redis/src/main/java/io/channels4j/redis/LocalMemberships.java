package io.channels4j.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of this layer's own channels (made by its {@code newChannel}) are in which groups, with their
 * {@code groupAdd} scores, kept beside Redis. When a standalone shard is back after an outage (Redis
 * may have restarted empty), the memberships of the groups on it are written again with their original scores
 * (so group expiry is unchanged), and one INFO line says how many. Changes to the record and their
 * Redis commands are issued under one lock, so a restore never re-adds a membership discarded meanwhile.
 */
final class LocalMemberships {

  private static final Logger LOG = LoggerFactory.getLogger(LocalMemberships.class);
  /** Restore attempts after a reconnect (100 ms apart) while commands are still rejected. */
  private static final int RESTORE_ATTEMPTS = 50;

  private final RedisConnections connections;
  private final KeyLayout keys;
  private final Scores scores;
  private final long groupExpirySeconds;
  /** group -> (channel -> groupAdd score). */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Double>> groups = new ConcurrentHashMap<>();
  private final Object lock = new Object();

  LocalMemberships(RedisConnections connections, KeyLayout keys, Scores scores, long groupExpirySeconds) {
    this.connections = connections;
    this.keys = keys;
    this.scores = scores;
    this.groupExpirySeconds = groupExpirySeconds;
    connections.whenBack(shard -> restore(shard, RESTORE_ATTEMPTS));
  }

  /** Records {@code channel} in {@code group} and issues {@code redisAdd}; a failed add is forgotten again. */
  CompletableFuture<Void> add(String group, String channel, double score, Supplier<CompletableFuture<Void>> redisAdd) {
    CompletableFuture<Void> f;
    synchronized (lock) {
      groups.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).put(channel, score);
      f = redisAdd.get();
    }
    return f.whenComplete((v, e) -> {
      if (e != null) {
        synchronized (lock) {
          groups.computeIfPresent(group, (g, m) -> {
            m.remove(channel, score);
            return m.isEmpty() ? null : m;
          });
        }
      }
    });
  }

  /** Forgets {@code channel} in {@code group} and issues {@code redisDiscard}. */
  <T> CompletableFuture<T> discard(String group, String channel, Supplier<CompletableFuture<T>> redisDiscard) {
    synchronized (lock) {
      groups.computeIfPresent(group, (g, m) -> {
        m.remove(channel);
        return m.isEmpty() ? null : m;
      });
      return redisDiscard.get();
    }
  }

  /** How many memberships are recorded. */
  int size() {
    return groups.values().stream().mapToInt(Map::size).sum();
  }

  /** Writes the memberships of the groups on {@code shard} again, retrying while Redis rejects commands. */
  private void restore(Shard shard, int attemptsLeft) {
    if (connections.closed()) {
      return;
    }
    List<CompletableFuture<?>> writes = new ArrayList<>();
    int[] count = {0};
    synchronized (lock) {
      long oldest = scores.nowSeconds() - groupExpirySeconds;
      groups.forEach((group, members) -> {
        if (connections.shardOf(group) != shard) {
          return;
        }
        members.values().removeIf(score -> score < oldest); // expired meanwhile, as Redis would have it
        if (members.isEmpty()) {
          return;
        }
        List<Object> scoresAndValues = new ArrayList<>(members.size() * 2);
        members.forEach((channel, score) -> {
          scoresAndValues.add(score);
          scoresAndValues.add(KeyLayout.bytes(channel));
        });
        count[0] += members.size();
        byte[] key = keys.group(group);
        writes.add(RedisConnections.onShard(shard, redis -> CompletableFuture.allOf(
            redis.zadd(key, scoresAndValues.toArray()).toCompletableFuture(),
            redis.expire(key, groupExpirySeconds).toCompletableFuture())));
      });
    }
    if (writes.isEmpty()) {
      return;
    }
    Stages.allOf(writes).whenComplete((v, e) -> {
      if (e == null) {
        LOG.info("Redis {} is back: re-added {} group memberships of this layer's channels", shard.description(), count[0]);
      } else if (attemptsLeft > 1) {
        connections.retryLater(() -> restore(shard, attemptsLeft - 1));
      } else {
        LOG.warn("could not re-add this layer's group memberships on Redis {}: {}", shard.description(), e.toString());
      }
    });
  }
}
