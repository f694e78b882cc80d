package io.channels4j.layers;

import io.channels4j.redis.RedisPubSubChannelLayer;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ChannelLayerContract} against {@link RedisPubSubChannelLayer}, with its documented
 * differences: no capacity, no expiry, no group expiry, and a message published before anyone
 * subscribed to a named channel is lost.
 */
public abstract class RedisPubSubContractSupport extends ChannelLayerContract {

  /** The builder for this configuration. */
  protected abstract RedisPubSubChannelLayer.Builder base();

  @Override
  protected ChannelLayer newLayer(LayerSpec spec) {
    return base().bufferSize(spec.capacity()).build();
  }

  @Override
  protected boolean supportsExpiry() {
    return false;
  }

  @Override
  protected boolean supportsGroupExpiry() {
    return false;
  }

  @Override
  protected boolean supportsCapacity() {
    return false;
  }

  /** Pub/sub: a send to a named channel nobody has subscribed to yet is lost (as in channels_redis). */
  @Override
  @Test
  @Disabled("pub/sub drops messages sent before the first receive subscribes; see RedisPubSubChannelLayerTest")
  void sendThenReceiveOnANamedChannel() {}

  /** Same cause: the case sends to named channels before receiving on them. */
  @Override
  @Test
  @Disabled("pub/sub drops messages sent before the first receive subscribes; see RedisPubSubChannelLayerTest")
  void validChannelNamesAreAccepted() {}
}
