package io.channels4j.spring;

import static io.channels4j.spring.Setters.ifSet;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.redis.RedisChannelLayer;
import java.util.List;

/** Builds a {@link RedisChannelLayer}; loaded only when channels-redis is on the classpath. */
final class RedisLayerFactory {

  private RedisLayerFactory() {}

  static ChannelLayer create(ChannelsProperties.Layer p, List<String> hosts) {
    RedisChannelLayer.Builder b = RedisChannelLayer.builder();
    hosts.forEach(b::host);
    if (!p.cluster().isEmpty()) {
      b.cluster(p.cluster().toArray(String[]::new));
    }
    ifSet(p.prefix(), b::prefix);
    ChannelLayerFactory.applyShared(p, b::capacity, b::expiry, b::groupExpiry, b::channelCapacity);
    if (!p.symmetricEncryptionKeys().isEmpty()) {
      b.symmetricEncryptionKeys(p.symmetricEncryptionKeys().toArray(String[]::new));
    }
    ifSet(p.commandTimeout(), b::commandTimeout);
    ifSet(p.livenessTimeout(), b::livenessTimeout);
    return b.build();
  }
}
