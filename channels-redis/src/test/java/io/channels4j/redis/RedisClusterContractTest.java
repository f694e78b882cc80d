package io.channels4j.redis;

import io.channels4j.layers.RedisLayerContractSupport;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core layer contract against a real 3-master Redis Cluster. */
class RedisClusterContractTest extends RedisLayerContractSupport {

  @RegisterExtension static final RedisServerExtension CLUSTER = RedisServerExtension.cluster();

  @Override
  protected RedisChannelLayer.Builder base() {
    return RedisChannelLayer.builder().cluster(CLUSTER.uris().toArray(new String[0]));
  }
}
