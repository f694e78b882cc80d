package io.channels4j.spring;

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
    if (p.prefix() != null) {
      b.prefix(p.prefix());
    }
    if (p.capacity() != null) {
      b.capacity(p.capacity());
    }
    if (p.expiry() != null) {
      b.expiry(p.expiry());
    }
    if (p.groupExpiry() != null) {
      b.groupExpiry(p.groupExpiry());
    }
    p.channelCapacity().forEach(b::channelCapacity);
    if (!p.symmetricEncryptionKeys().isEmpty()) {
      b.symmetricEncryptionKeys(p.symmetricEncryptionKeys().toArray(String[]::new));
    }
    if (p.commandTimeout() != null) {
      b.commandTimeout(p.commandTimeout());
    }
    if (p.livenessTimeout() != null) {
      b.livenessTimeout(p.livenessTimeout());
    }
    return b.build();
  }
}
