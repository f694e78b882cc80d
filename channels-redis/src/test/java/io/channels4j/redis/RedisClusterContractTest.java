package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import io.channels4j.layers.ChannelNames;
import io.channels4j.layers.RedisLayerContractSupport;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core layer contract against a real 3-master Redis Cluster, plus its key layout. */
class RedisClusterContractTest extends RedisLayerContractSupport {

  @RegisterExtension static final RedisServerExtension CLUSTER = RedisServerExtension.cluster();

  @Override
  protected RedisChannelLayer.Builder base() {
    return RedisChannelLayer.builder().cluster(CLUSTER.uris().toArray(new String[0]));
  }

  @Test
  void theClusterIsHealthyAndKeysUseHashTags() throws Exception {
    String info = RedisServer.command(CLUSTER.server(0).port(), "CLUSTER", "INFO");
    assertThat(info).contains("cluster_state:ok").contains("cluster_known_nodes:3").contains("cluster_size:3");
    RedisChannelLayer l = (RedisChannelLayer) open(io.channels4j.layers.LayerSpec.defaults());
    String ch = await(l.newChannel());
    await(l.groupAdd("room", ch));
    await(l.groupAdd("room", "worker"));
    await(l.send(ch, Message.of("direct")));
    await(l.groupSend("room", Message.of("group")));
    RedisClusterClient client = RedisClusterClient.create(RedisURI.create(CLUSTER.uri()));
    try (StatefulRedisClusterConnection<String, String> c = client.connect()) {
      String processKey = "asgi{" + ChannelNames.nonLocalName(ch) + "}";
      assertThat(c.sync().zcard(processKey)).isEqualTo(2);
      assertThat(c.sync().zcard("asgi{worker}")).isEqualTo(1);
      assertThat(c.sync().zrange("asgi:group:{room}", 0, -1)).containsExactlyInAnyOrderElementsOf(List.of(ch, "worker"));
    } finally {
      client.shutdown();
    }
    assertThat(await(l.receive(ch)).type()).isEqualTo("direct");
    assertThat(await(l.receive(ch)).type()).isEqualTo("group");
    assertThat(await(l.receive("worker")).type()).isEqualTo("group");
  }
}
