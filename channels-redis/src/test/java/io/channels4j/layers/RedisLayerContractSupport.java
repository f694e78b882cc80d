package io.channels4j.layers;

import io.channels4j.redis.RedisChannelLayer;
import java.util.List;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link ChannelLayerContract} against {@link RedisChannelLayer}. Lives in the contract's package
 * only to replace one case whose expectation contradicts Channels' spec for Redis (see below).
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

  /** As in channels_redis, a message expiring does not remove its channel from groups. */
  @Override
  protected boolean expiryRemovesFromGroups() {
    return false;
  }

  /**
   * Channels' spec: "capacity of process-local channels applies to the non-local part" — all {@code !}
   * channels of one process share one Redis key and one count (channels_redis does the same, and the
   * group-send Lua checks the key). Two channels made by the same layer therefore fill up together, so
   * this case (full and free member in the same process) cannot hold; {@code
   * RedisChannelLayerTest#groupSendSkipsAFullProcessKeyAndReachesOtherProcesses} checks the Redis form.
   */
  @Override
  @Test
  @Disabled("capacity is per process key on Redis (Channels spec, channels_redis); see RedisChannelLayerTest")
  void groupSendSkipsAFullMemberAndDeliversToTheOthers() {}

  @Override
  protected List<String> invalidChannelNames() {
    return super.invalidChannelNames();
  }
}
