package io.channels4j.redis;

import io.channels4j.layers.RedisLayerContractSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core layer contract against one real redis-server. */
class RedisChannelLayerContractTest extends RedisLayerContractSupport {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  @Override
  protected RedisChannelLayer.Builder base() {
    return RedisChannelLayer.builder().host(REDIS.uri());
  }
}
