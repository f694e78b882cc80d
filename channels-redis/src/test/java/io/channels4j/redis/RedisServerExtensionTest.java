package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerExtensionTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(1);

  @Test
  void serverAnswersAndSurvivesKillAndRestartOnTheSamePort() {
    RedisServer s = REDIS.server(0);
    assertThat(RedisServer.command(s.port(), "SET", "k", "v")).isEqualTo("OK");
    assertThat(RedisServer.command(s.port(), "GET", "k")).isEqualTo("v");
    s.kill();
    assertThat(s.isRunning()).isFalse();
    assertThatThrownBy(() -> RedisServer.command(s.port(), "PING")).isInstanceOf(java.io.UncheckedIOException.class);
    s.restart();
    assertThat(RedisServer.command(s.port(), "PING")).isEqualTo("PONG");
    assertThat(RedisServer.command(s.port(), "EXISTS", "k")).isEqualTo("0");
  }
}
