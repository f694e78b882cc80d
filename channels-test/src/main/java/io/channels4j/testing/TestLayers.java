package io.channels4j.testing;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.testing.ChannelsLiveServer.Layer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes the layer each live-server test gets: which kind (the test's {@link UseLayer}, else the run's
 * {@value ChannelsLiveServer#LAYER_PROPERTY}, else the class's), and a new layer of that kind. Redis layers
 * get a key prefix of their own, so tests sharing one Redis never see each other's channels or groups.
 */
final class TestLayers {

  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestLayers.class);
  private static final String REDIS_LAYER = "io.channels4j.redis.RedisChannelLayer";

  private TestLayers() {}

  /** The kind of layer the current test gets. */
  static Layer kindFor(ExtensionContext test, Layer classDefault) {
    UseLayer own = test.getTestMethod().map(m -> m.getAnnotation(UseLayer.class)).orElse(null);
    if (own != null) {
      return own.value();
    }
    String run = System.getProperty(ChannelsLiveServer.LAYER_PROPERTY,
        System.getenv(ChannelsLiveServer.LAYER_PROPERTY.toUpperCase(Locale.ROOT).replace('.', '_')));
    if (run == null || run.isBlank()) {
      return classDefault;
    }
    try {
      return Layer.valueOf(run.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ChannelsLiveServer.LAYER_PROPERTY + " must be in_memory or redis, not '"
          + run + "'", e);
    }
  }

  /** A new layer of {@code kind} for the current test. */
  static ChannelLayer create(Layer kind, ExtensionContext test) {
    return switch (kind) {
      case IN_MEMORY -> InMemoryChannelLayer.create();
      case REDIS -> redisLayer(redisUrl(test), "t" + UUID.randomUUID().toString().replace("-", ""));
    };
  }

  /** {@code REDIS_URL}, else a redis-server this run starts once (stopped when the run ends). */
  static String redisUrl(ExtensionContext test) {
    String url = System.getenv("REDIS_URL");
    if (url != null && !url.isBlank()) {
      return url;
    }
    if (!RedisServerProcess.installed()) {
      skipOrFail("REDIS_URL is not set and redis-server is not installed, so this Redis-layer test cannot run;"
          + " install it (apt-get install -y redis-server) or set REDIS_URL");
    }
    return test.getRoot().getStore(NAMESPACE)
        .computeIfAbsent(RedisServerProcess.class, k -> RedisServerProcess.start(), RedisServerProcess.class)
        .uri();
  }

  /**
   * {@code RedisChannelLayer.builder().host(url).prefix(prefix).build()}, called by reflection: channels-redis
   * is an optional dependency of this module (a compile-time one would make a build cycle, as the Redis
   * module's own tests use the communicators).
   */
  private static ChannelLayer redisLayer(String url, String prefix) {
    Class<?> type;
    try {
      type = Class.forName(REDIS_LAYER);
    } catch (ClassNotFoundException e) {
      skipOrFail("channels-redis is not on the test classpath, so this Redis-layer test cannot run;"
          + " add io.channels4j:channels-redis in test scope");
      throw new AssertionError(e);
    }
    try {
      Object builder = type.getMethod("builder").invoke(null);
      Class<?> b = builder.getClass();
      b.getMethod("host", String.class).invoke(builder, url);
      b.getMethod("prefix", String.class).invoke(builder, prefix);
      Method build = b.getMethod("build");
      return (ChannelLayer) build.invoke(builder);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot create a Redis layer on " + url + ": " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this channels-redis does not have the builder channels-test expects", e);
    }
  }

  /** Fails under {@code CI=true} (a missing tool is a failure there); elsewhere skips loudly. */
  static void skipOrFail(String message) {
    String loud = "*** " + message + " ***";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(loud + " (CI=true: a missing tool is a failure, not a skip)");
    }
    System.err.println(loud);
    Assumptions.abort(loud);
  }
}
