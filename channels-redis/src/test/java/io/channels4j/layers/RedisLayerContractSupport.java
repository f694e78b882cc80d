package io.channels4j.layers;

import io.channels4j.redis.RedisChannelLayer;

/**
 * Runs {@link ChannelLayerContract} against {@link RedisChannelLayer} (in the contract's package so that
 * layer-specific cases could be replaced; none is now).
 */
public abstract class RedisLayerContractSupport extends ChannelLayerContract {

  /** The builder for this configuration (hosts or cluster), before the spec is applied. */
  protected abstract RedisChannelLayer.Builder base();

  @Override
  protected ChannelLayer newLayer(LayerSpec spec) {
    RedisChannelLayer.Builder b = base()
        .clock(spec.clock())
        .expiry(spec.expiry())
        .groupExpiry(spec.groupExpiry())
        .capacity(spec.capacity());
    for (LayerSpec.CapacityPattern p : spec.channelCapacities()) {
      if (p.isGlob()) {
        b.channelCapacity(p.glob(), p.capacity());
      } else {
        b.channelCapacity(p.regex(), p.capacity());
      }
    }
    return b.build();
  }

  /**
   * As in channels_redis, a message expiring does not remove its channel from groups: the contract
   * asserts that the channel stays a member and receives the next group sends instead.
   */
  @Override
  protected boolean expiryRemovesFromGroups() {
    return false;
  }
}
