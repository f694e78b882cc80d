package io.channels4j.example.chat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The room's HTTP transports on the Redis layer, against a real redis-server. */
class ChatTransportsRedisTest extends ChatTransportsTests {

  private static RedisProcess redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisProcess.startOrSkip();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Override
  protected List<String> layerFlags() {
    return List.of("--layer", "redis", "--redis-url", redis.uri());
  }
}
