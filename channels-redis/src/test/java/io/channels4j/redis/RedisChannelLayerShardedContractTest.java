package io.channels4j.redis;

import io.channels4j.layers.RedisLayerContractSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core layer contract against two redis-servers used as shards. */
class RedisChannelLayerShardedContractTest extends RedisLayerContractSupport {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(2);

  @Override
  protected RedisChannelLayer.Builder base() {
    return RedisChannelLayer.builder().host(REDIS.uris().get(0)).host(REDIS.uris().get(1));
  }
}
