package io.channels4j.redis;

import io.channels4j.layers.ChannelLayer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Builds a {@link RedisChannelLayer} from text options, for the {@code runworker} command ({@code
 * io.channels4j.worker.Worker}): {@code --layer io.channels4j.redis.RedisLayerFactory --layer-option
 * host=redis://127.0.0.1:6379/0}. Options: {@code host} (repeatable as a comma-separated list of URLs, one
 * per shard; default {@code redis://127.0.0.1:6379}), {@code prefix}, {@code expiry} and {@code
 * group_expiry} (seconds), {@code capacity}, {@code serializer_format} ({@code msgpack} or {@code json}),
 * {@code random_prefix_length}. An unknown option is an error naming it.
 */
public final class RedisLayerFactory implements Function<Map<String, String>, ChannelLayer> {

  private static final Set<String> KNOWN = Set.of("host", "prefix", "expiry", "group_expiry", "capacity",
      "serializer_format", "random_prefix_length");

  /** Creates the factory (the command instantiates it by name). */
  public RedisLayerFactory() {}

  /** Builds the layer from {@code options}. */
  @Override
  public ChannelLayer apply(Map<String, String> options) {
    Set<String> unknown = new TreeSet<>(options.keySet());
    unknown.removeAll(KNOWN);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown Redis layer options " + unknown + "; known: " + new TreeSet<>(KNOWN));
    }
    RedisChannelLayer.Builder b = RedisChannelLayer.builder();
    String hosts = options.get("host");
    if (hosts != null) {
      for (String h : hosts.split(",")) {
        b.host(h.strip());
      }
    }
    if (options.containsKey("prefix")) {
      b.prefix(options.get("prefix"));
    }
    if (options.containsKey("expiry")) {
      b.expiry(Duration.ofSeconds(number(options, "expiry")));
    }
    if (options.containsKey("group_expiry")) {
      b.groupExpiry(Duration.ofSeconds(number(options, "group_expiry")));
    }
    if (options.containsKey("capacity")) {
      b.capacity((int) number(options, "capacity"));
    }
    if (options.containsKey("serializer_format")) {
      b.serializerFormat(options.get("serializer_format"));
    }
    if (options.containsKey("random_prefix_length")) {
      b.randomPrefixLength((int) number(options, "random_prefix_length"));
    }
    return b.build();
  }

  private static long number(Map<String, String> options, String key) {
    try {
      return Long.parseLong(options.get(key).strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Redis layer option " + key + " must be a whole number, got '" + options.get(key) + "'");
    }
  }
}
