package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A shard served by a Sentinel-managed master: lettuce asks the sentinel for the master's address. */
class RedisSentinelTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(1);

  @Test
  void aSentinelShardWorksAndTalksToLayersUsingTheMasterDirectly() {
    RedisServer master = REDIS.server(0);
    try (RedisServer sentinel = RedisServer.startSentinel("mymaster", master.port());
         RedisChannelLayer viaSentinel = RedisChannelLayer.builder()
             .sentinel("mymaster", "127.0.0.1:" + sentinel.port()).build();
         RedisChannelLayer direct = RedisChannelLayer.builder().host(master.uri()).build()) {
      String ch = viaSentinel.sync().newChannel();
      viaSentinel.sync().groupAdd("room", ch);
      direct.sync().groupSend("room", Message.of("hello"));
      assertThat(viaSentinel.sync().receive(ch).type()).isEqualTo("hello");
      String other = direct.sync().newChannel();
      viaSentinel.sync().send(other, Message.of("back"));
      assertThat(direct.sync().receive(other).type()).isEqualTo("back");
      assertThat(viaSentinel.toString()).contains("sentinel master 'mymaster'");
      viaSentinel.sync().flush();
    }
  }
}
