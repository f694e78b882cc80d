package io.channels4j.redis;

import io.channels4j.layers.RedisPubSubLayerContractSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core layer contract ({@code ChannelLayerContract}) against {@link RedisPubSubChannelLayer} on one
 * real redis-server. The documented differences (no capacity, no expiry, no group expiry, nothing kept
 * for a channel nobody subscribes to, Python's channel names) are declared and replaced by pub/sub checks
 * in {@link RedisPubSubLayerContractSupport}.
 */
class RedisPubSubChannelLayerContractTest extends RedisPubSubLayerContractSupport {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Override
  protected RedisPubSubChannelLayer.Builder base() {
    return RedisPubSubChannelLayer.builder().host(REDIS.uri());
  }
}
