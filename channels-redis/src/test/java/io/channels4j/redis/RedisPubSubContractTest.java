package io.channels4j.redis;

import io.channels4j.layers.RedisPubSubContractSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core layer contract against the pub/sub layer on two shards. */
class RedisPubSubContractTest extends RedisPubSubContractSupport {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(2);

  @Override
  protected RedisPubSubChannelLayer.Builder base() {
    return RedisPubSubChannelLayer.builder().host(REDIS.uris().get(0)).host(REDIS.uris().get(1));
  }
}
