package io.channels4j.example.chat;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.redis.RedisChannelLayer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The chat consumer on the Redis layer, against a real redis-server (skipped loudly without one, failed under CI). */
class ChatConsumerRedisTest extends ChatConsumerTests {

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
  protected ChannelLayer createLayer() {
    return RedisChannelLayer.builder().host(redis.uri()).build();
  }
}
