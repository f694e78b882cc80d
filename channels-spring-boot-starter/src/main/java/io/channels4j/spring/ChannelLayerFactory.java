package io.channels4j.spring;

import static io.channels4j.spring.Setters.ifSet;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.InMemoryChannelLayer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.springframework.util.ClassUtils;

/**
 * Builds the channel layer {@code channels.layers.<alias>.*} describes: in memory without a URL (or with
 * {@code memory:}), Redis for a Redis URI, hosts or cluster seeds. A setting the chosen layer cannot honour
 * fails startup with a message naming the property, rather than being ignored.
 */
final class ChannelLayerFactory {

  private static final String REDIS_LAYER = "io.channels4j.redis.RedisChannelLayer";

  private ChannelLayerFactory() {}

  static ChannelLayer create(String alias, ChannelsProperties.Layer p) {
    if (p == null) {
      return InMemoryChannelLayer.create();
    }
    List<String> redisHosts = new ArrayList<>();
    String url = p.url() == null ? "" : p.url().strip();
    if (!url.isEmpty() && !isMemory(url)) {
      String scheme = url.contains(":") ? url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT) : "";
      if (!List.of("redis", "rediss", "redis-socket", "redis-sentinel").contains(scheme)) {
        throw new IllegalStateException(property(alias, "url") + " must be memory: or a redis://, rediss://, "
            + "redis-socket:// or redis-sentinel:// URI, not '" + url + "'");
      }
      redisHosts.add(url);
    }
    if (isMemory(url) && (!p.hosts().isEmpty() || !p.cluster().isEmpty())) {
      throw new IllegalStateException(property(alias, "url") + "=memory: cannot be combined with hosts or cluster");
    }
    redisHosts.addAll(p.hosts());
    if (redisHosts.isEmpty() && p.cluster().isEmpty()) {
      return inMemory(alias, p);
    }
    if (!ClassUtils.isPresent(REDIS_LAYER, ChannelLayerFactory.class.getClassLoader())) {
      throw new IllegalStateException(property(alias, "url") + " names Redis, but " + REDIS_LAYER
          + " is not on the classpath: add the io.channels4j:channels-redis dependency");
    }
    return RedisLayerFactory.create(p, redisHosts);
  }

  private static boolean isMemory(String url) {
    return url.toLowerCase(Locale.ROOT).startsWith("memory:");
  }

  private static ChannelLayer inMemory(String alias, ChannelsProperties.Layer p) {
    redisOnly(alias, "prefix", p.prefix() != null);
    redisOnly(alias, "symmetric-encryption-keys", !p.symmetricEncryptionKeys().isEmpty());
    redisOnly(alias, "command-timeout", p.commandTimeout() != null);
    redisOnly(alias, "liveness-timeout", p.livenessTimeout() != null);
    InMemoryChannelLayer.Builder b = InMemoryChannelLayer.builder();
    applyShared(p, b::capacity, b::expiry, b::groupExpiry, b::channelCapacity);
    return b.build();
  }

  private static void redisOnly(String alias, String name, boolean set) {
    if (set) {
      throw new IllegalStateException(property(alias, name) + " applies to the Redis layer only, and "
          + property(alias, "url") + " names none (the layer is in memory)");
    }
  }

  /** Applies the options both layers take: capacities and expiries. */
  static void applyShared(ChannelsProperties.Layer p, Consumer<Integer> capacity, Consumer<Duration> expiry,
      Consumer<Duration> groupExpiry, BiConsumer<String, Integer> channelCapacity) {
    ifSet(p.capacity(), capacity);
    ifSet(p.expiry(), expiry);
    ifSet(p.groupExpiry(), groupExpiry);
    p.channelCapacity().forEach(channelCapacity);
  }

  static String property(String alias, String name) {
    return "channels.layers." + alias + "." + name;
  }
}
