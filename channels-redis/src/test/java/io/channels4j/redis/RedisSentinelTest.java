package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayerUnavailableException;
import java.time.Duration;
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

  /**
   * channels_redis's {@code {"sentinels": [...], "master_name": ..., "sentinel_kwargs": {"password": ...},
   * "password": ...}}: a Sentinel and a master that both require a password ({@code requirepass}).
   */
  @Test
  void passwordProtectedSentinelAndMaster() {
    try (RedisServer master = RedisServer.startWithPassword("master-secret");
         RedisServer sentinel = RedisServer.startSentinel("authmaster", master.port(), "sentinel-secret", "master-secret");
         RedisChannelLayer viaSentinel = RedisChannelLayer.builder()
             .sentinel("authmaster", "127.0.0.1:" + sentinel.port())
             .sentinelPassword("sentinel-secret").masterPassword("master-secret").masterDatabase(3).build();
         RedisChannelLayer direct = RedisChannelLayer.builder()
             .host("redis://:master-secret@127.0.0.1:" + master.port() + "/3").build();
         RedisChannelLayer db0 = RedisChannelLayer.builder()
             .host("redis://:master-secret@127.0.0.1:" + master.port() + "/0").build();
         RedisPubSubChannelLayer pubsub = RedisPubSubChannelLayer.builder()
             .sentinel("authmaster", "127.0.0.1:" + sentinel.port())
             .sentinelPassword("sentinel-secret").masterPassword("master-secret").build()) {
      String ch = viaSentinel.sync().newChannel();
      viaSentinel.sync().groupAdd("room", ch);
      direct.sync().groupSend("room", Message.of("hello"));
      assertThat(viaSentinel.sync().receive(ch).type()).isEqualTo("hello");
      String other = direct.sync().newChannel();
      viaSentinel.sync().send(other, Message.of("back"));
      assertThat(direct.sync().receive(other).type()).isEqualTo("back");
      // the Sentinel shard works in database 3 (channels_redis's "db"), not 0
      viaSentinel.sync().send("worker.db", Message.of("in.db3"));
      db0.sync().send("worker.db", Message.of("in.db0"));
      assertThat(direct.sync().receive("worker.db").type()).isEqualTo("in.db3");
      assertThat(db0.sync().receive("worker.db").type()).isEqualTo("in.db0");

      String sub = pubsub.sync().newChannel();
      pubsub.sync().send(sub, Message.of("pubsub.hello"));
      assertThat(pubsub.sync().receive(sub).type()).isEqualTo("pubsub.hello");

      try (RedisChannelLayer noSentinelPassword = RedisChannelLayer.builder()
              .sentinel("authmaster", "127.0.0.1:" + sentinel.port()).masterPassword("master-secret")
              .commandTimeout(Duration.ofSeconds(2)).build();
           RedisChannelLayer noMasterPassword = RedisChannelLayer.builder()
              .sentinel("authmaster", "127.0.0.1:" + sentinel.port()).sentinelPassword("sentinel-secret")
              .commandTimeout(Duration.ofSeconds(2)).build()) {
        assertThatThrownBy(() -> noSentinelPassword.sync().send("worker", Message.of("x")))
            .isInstanceOf(ChannelLayerUnavailableException.class)
            .hasMessageContaining("sentinel master 'authmaster'")
            // NOAUTH, or (a race in lettuce) the handshake ended: both say to check the password
            .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("NOAUTH", "ended during the Redis handshake"));
        assertThatThrownBy(() -> noMasterPassword.sync().send("worker", Message.of("x")))
            .isInstanceOf(ChannelLayerUnavailableException.class)
            .hasMessageContaining("sentinel master 'authmaster'")
            // NOAUTH, or (a race in lettuce) the handshake ended: both say to check the password
            .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("NOAUTH", "ended during the Redis handshake"));
      }
    }
  }

  @Test
  void sentinelCredentialsNeedASentinelShardAndUsersTheirPasswords() {
    assertThatThrownBy(() -> RedisChannelLayer.builder().host("redis://127.0.0.1:1").sentinelPassword("pw").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no sentinel(...) or redis-sentinel:// host");
    assertThatThrownBy(() -> RedisChannelLayer.builder().sentinel("m", "127.0.0.1:1").masterUsername("u").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("masterUsername 'u'");
    assertThatThrownBy(() -> RedisChannelLayer.builder().masterDatabase(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageEndingWith(": '-1'");
    assertThatThrownBy(() -> RedisChannelLayer.builder().sentinelPassword(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("sentinelPassword must not be blank: ' '");
  }
}
