package io.channels4j.layers;

import io.channels4j.redis.RedisPubSubChannelLayer;

/**
 * Runs {@link ChannelLayerContract} against {@link RedisPubSubChannelLayer}, with its documented
 * differences from the core contract (those of channels_redis's pub/sub layer), each asserted by the
 * contract as its hook describes: no capacity (sends never fail, every message is kept), no expiry (a
 * message waits until received), no group expiry (memberships last until discarded), and a message
 * published to a named channel before anyone subscribed to it is lost.
 *
 * <p>The layer is built with its default, unbounded, local buffer (as channels_redis's pub/sub queues):
 * the spec's capacity is not mapped onto {@link RedisPubSubChannelLayer.Builder#bufferSize}, which drops
 * the oldest message instead of failing the send, a Java-only option.
 */
public abstract class RedisPubSubContractSupport extends ChannelLayerContract {

  /** The builder for this configuration. */
  protected abstract RedisPubSubChannelLayer.Builder base();

  @Override
  protected ChannelLayer newLayer(LayerSpec spec) {
    return base().build();
  }

  /** As in channels_redis's pub/sub layer: messages never expire. */
  @Override
  protected boolean supportsExpiry() {
    return false;
  }

  /** As in channels_redis's pub/sub layer: group memberships never lapse. */
  @Override
  protected boolean supportsGroupExpiry() {
    return false;
  }

  /** As in channels_redis's pub/sub layer: channels have no capacity. */
  @Override
  protected boolean supportsCapacity() {
    return false;
  }

  /** Like channels_redis's pub/sub layer: no group history (recorded sends are plain group sends). */
  @Override
  protected boolean supportsHistory() {
    return false;
  }

  /** Pub/sub: a send to a named channel nobody has subscribed to yet is lost (as in channels_redis). */
  @Override
  protected boolean keepsMessagesSentBeforeTheFirstReceive() {
    return false;
  }

  /**
   * Subscribes {@code channel} and waits for the subscription: the layer's {@code groupAdd} completes
   * only once the member channel is subscribed, and the channel stays subscribed after {@code
   * groupDiscard} (as after a cancelled receive), so later sends to it are kept for its receivers.
   */
  @Override
  protected void awaitReadyToReceive(ChannelLayer layer, String channel) {
    await(layer.groupAdd("test.subscribe-barrier", channel));
    await(layer.groupDiscard("test.subscribe-barrier", channel));
  }
}
