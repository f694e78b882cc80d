package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisClusterHarnessTest {

  @RegisterExtension static final RedisServerExtension CLUSTER = RedisServerExtension.cluster();

  @Test
  void threeMastersFormAHealthyCluster() {
    String info = RedisServer.command(CLUSTER.server(0).port(), "CLUSTER", "INFO");
    assertThat(info).contains("cluster_state:ok").contains("cluster_known_nodes:3").contains("cluster_size:3");
  }
}
