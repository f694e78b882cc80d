package io.channels4j.docs.tutorial;

// tag::redis[]
import io.channels4j.layers.ChannelLayers;
import io.channels4j.redis.RedisChannelLayer;

/** Channels' CHANNEL_LAYERS setting with channels_redis, in Java. */
public final class RedisLayerSetup {

  private RedisLayerSetup() {}

  /**
   * Makes a Redis layer the default, for every process that should share rooms.
   *
   * @param redisUrl e.g. {@code redis://127.0.0.1:6379}
   */
  public static void useRedis(String redisUrl) {
    ChannelLayers.set(ChannelLayers.DEFAULT, RedisChannelLayer.builder().host(redisUrl).build());
  }
}
// end::redis[]
