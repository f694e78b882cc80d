package io.channels4j.redis;

import io.channels4j.internal.ChannelCapacities;
import io.lettuce.core.RedisURI;
import java.time.Clock;
import java.util.List;

/**
 * The validated configuration of a {@link RedisChannelLayer}, as its builder leaves it.
 *
 * @param connection hosts (standalone or Sentinel shards, in ring order), command timeout, lettuce resources
 * @param cluster cluster seed nodes, or null (then the hosts are ignored)
 * @param serialization serializer format, encryption keys, random prefix length
 * @param livenessSeconds after how long without a liveness mark a Java process counts as gone
 */
record Settings(
    ConnectionOptions connection,
    List<RedisURI> cluster,
    String prefix,
    long expirySeconds,
    long groupExpirySeconds,
    long livenessSeconds,
    int defaultCapacity,
    ChannelCapacities capacities,
    SerializerOptions serialization,
    Clock clock) {

  /** The capacity of {@code channel}'s Redis key. */
  int capacityOf(String channel) {
    return capacities.of(channel, defaultCapacity);
  }
}
