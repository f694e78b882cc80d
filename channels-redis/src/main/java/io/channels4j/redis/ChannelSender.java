package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.layers.ChannelFullException;
import io.channels4j.layers.ChannelNames;
import java.util.concurrent.CompletableFuture;

/**
 * {@code send} to one channel: the message becomes one member of the channel's sorted set (one script:
 * purge expired, check capacity, add), on the shard its non-local name hashes to.
 */
final class ChannelSender {

  private final Settings settings;
  private final RedisConnections connections;
  private final KeyLayout keys;
  private final Scores scores;
  private final MemberCodec codec;

  ChannelSender(Settings settings, RedisConnections connections, KeyLayout keys, Scores scores, MemberCodec codec) {
    this.settings = settings;
    this.connections = connections;
    this.keys = keys;
    this.scores = scores;
    this.codec = codec;
  }

  /** Sends a checked, storable {@code message}; fails with {@link ChannelFullException} at capacity. */
  CompletableFuture<Void> send(String channel, Message message) {
    String nonLocal = ChannelNames.nonLocalName(channel);
    // channels_redis hashes the full name of a '!' channel (django/channels#1492) and round-robins
    // normal channels; hashing the non-local name keeps one key per channel: FIFO and exact capacity.
    Shard shard = connections.shardOf(nonLocal);
    double score = scores.next();
    byte[] member = ChannelNames.isProcessLocal(channel)
        ? codec.encodeFor(channel, message) : codec.encode(message);
    int capacity = settings.capacityOf(channel);
    byte[][] args = {member, Scores.arg(score), Scores.arg(Scores.purgeBefore(score, settings.expirySeconds())),
        Scores.arg(capacity), Scores.arg(settings.expirySeconds())};
    return RedisConnections.onShard(shard, redis -> Scripts.SEND.<Long>run(redis, new byte[][] {keys.channel(nonLocal)}, args))
        .thenApply(full -> {
          if (full != null && full == 1L) {
            throw new ChannelFullException(channel, capacity);
          }
          return null;
        });
  }
}
