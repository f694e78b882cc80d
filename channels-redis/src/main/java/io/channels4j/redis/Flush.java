package io.channels4j.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** {@code flush}: deletes every key under the layer's prefix with SCAN (no KEYS, so it works on a cluster). */
final class Flush {

  private Flush() {}

  /** Deletes the keys matching {@code pattern} on every shard. */
  static CompletableFuture<Void> deleteEverywhere(RedisConnections connections, String pattern) {
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (Shard s : connections.shards()) {
      fs.add(RedisConnections.onShard(s, redis -> deleteByScan(redis, pattern, ScanCursor.INITIAL)));
    }
    return Stages.allOf(fs);
  }

  private static CompletableFuture<Void> deleteByScan(RedisClusterAsyncCommands<byte[], byte[]> redis, String pattern,
      ScanCursor cursor) {
    ScanArgs args = ScanArgs.Builder.matches(pattern).limit(1000);
    return redis.scan(cursor, args).toCompletableFuture().thenCompose((KeyScanCursor<byte[]> c) -> {
      CompletableFuture<Void> del = Stages.allOf(c.getKeys().stream().map(k -> redis.del(k).toCompletableFuture()).toList());
      return del.thenCompose(v -> c.isFinished() ? CompletableFuture.completedFuture(null) : deleteByScan(redis, pattern, c));
    });
  }
}
