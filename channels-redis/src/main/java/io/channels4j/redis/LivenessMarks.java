package io.channels4j.redis;

import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This layer's liveness marks, beyond channels_redis: for each of its process keys in use (receiving,
 * or in a group), {@code watched} (TTL the group expiry: "this process keeps marks") and {@code alive}
 * (TTL the liveness timeout), written when the receive loop runs or a channel joins a group, and
 * refreshed every quarter of the timeout and after a Redis outage. A group send skips and purges the
 * members of a process key that is watched but not alive: a Java process gone for longer than the
 * timeout. Python processes never write marks, so this rule never purges their members.
 */
final class LivenessMarks {

  private static final Logger LOG = LoggerFactory.getLogger(LivenessMarks.class);
  private static final byte[] ONE = {'1'};

  private final RedisConnections connections;
  private final KeyLayout keys;
  private final long livenessSeconds;
  private final long groupExpirySeconds;
  private final long refreshNanos;
  /** Process keys in use (non-local names) and when their marks were last written (nanoTime, 0 = never). */
  private final ConcurrentHashMap<String, Long> inUse = new ConcurrentHashMap<>();

  LivenessMarks(RedisConnections connections, KeyLayout keys, long livenessSeconds, long groupExpirySeconds) {
    this.connections = connections;
    this.keys = keys;
    this.livenessSeconds = livenessSeconds;
    this.groupExpirySeconds = groupExpirySeconds;
    this.refreshNanos = TimeUnit.SECONDS.toNanos(livenessSeconds) / 4;
    connections.every(Duration.ofNanos(refreshNanos), () -> inUse.keySet().forEach(this::touch));
    connections.whenBack(shard -> {
      inUse.replaceAll((k, v) -> 0L); // Redis may have come back empty: write every mark again
      inUse.keySet().forEach(this::touch);
    });
  }

  /** Marks {@code nonLocal} (a process key's non-local name) alive, unless that was done lately. */
  void touch(String nonLocal) {
    long now = System.nanoTime();
    boolean[] due = {false};
    inUse.compute(nonLocal, (k, last) -> {
      if (last == null || last == 0L || now - last >= refreshNanos) {
        due[0] = true;
        return now;
      }
      return last;
    });
    if (!due[0] || connections.closed()) {
      return;
    }
    RedisConnections.onShard(connections.shardOf(nonLocal), redis -> {
      redis.set(keys.watched(nonLocal), ONE, SetArgs.Builder.ex(groupExpirySeconds));
      return redis.set(keys.alive(nonLocal), ONE, SetArgs.Builder.ex(livenessSeconds));
    }).whenComplete((ok, e) -> {
      if (e != null) {
        inUse.computeIfPresent(nonLocal, (k, last) -> last == now ? 0L : last); // retry on the next touch
        LOG.debug("could not write the liveness mark of {}: {}", nonLocal, e.toString());
      }
    });
  }
}
