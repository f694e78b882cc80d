package io.channels4j.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.redis.RedisServerExtension;
import io.channels4j.redis.RedisSessionStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The session store contract (channels-auth's test-jar) on {@link RedisSessionStore} against a real
 * redis-server, plus what only Redis shows: the key layout and the TTL. In package {@code
 * io.channels4j.auth} to run the contract's package-private cases.
 */
class RedisSessionStoreContractTest extends SessionStoreContract {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
  private static RedisSessionStore store;

  @BeforeAll
  static void connect() {
    store = RedisSessionStore.create(REDIS.uri(), "test:session:");
  }

  @AfterAll
  static void close() {
    if (store != null) {
      store.close();
    }
  }

  @Override
  protected SessionStore store() {
    return store;
  }

  @Test
  void eachSessionIsOneJsonKeyWithTheMaxAgeAsTtl() {
    String key = join(store.save(null, Map.of("_auth_user_id", "42"), Duration.ofMinutes(10)));
    RedisClient client = RedisClient.create(REDIS.uri());
    try (StatefulRedisConnection<String, String> c = client.connect()) {
      assertThat(c.sync().get("test:session:" + key)).isEqualTo("{\"_auth_user_id\":\"42\"}");
      assertThat(c.sync().pttl("test:session:" + key)).isBetween(590_000L, 600_000L);
    } finally {
      client.shutdown();
    }
    assertThat(store.toString()).isEqualTo("RedisSessionStore[test:session:*]");
  }
}
