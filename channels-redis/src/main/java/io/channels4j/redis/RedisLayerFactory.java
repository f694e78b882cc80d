package io.channels4j.redis;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@code redis} and {@code redis-pubsub} backends of {@link ChannelLayers#configure(Map)} (registered with
 * {@link java.util.ServiceLoader}, so {@code channels.layers.default.url=redis://...} just works with this module
 * on the class or module path), and the {@code runworker} layer ({@code --layer
 * io.channels4j.redis.RedisLayerFactory --layer-option host=redis://127.0.0.1:6379}).
 *
 * <p>Backends: {@code redis} (or {@code channels_redis.core.RedisChannelLayer}) builds a {@link
 * RedisChannelLayer}, {@code redis-pubsub} (or {@code channels_redis.pubsub.RedisPubSubChannelLayer}) a {@link
 * RedisPubSubChannelLayer}. Options of {@code redis}: {@code url} and {@code hosts} (Redis URIs, one shard each,
 * {@code url} first; {@code redis://}, {@code rediss://}, {@code redis-socket://}, {@code redis-sentinel://}, or
 * {@code sentinel://} read as {@code redis-sentinel://}), {@code sentinel-master} with {@code sentinels} ({@code
 * host:port} list, one more shard), {@code cluster} (seed URIs instead of hosts), {@code prefix}, {@code
 * capacity}, {@code channel-capacity}, {@code expiry}, {@code group-expiry}, {@code liveness-timeout}, {@code
 * command-timeout}, {@code symmetric-encryption-keys}. Of {@code redis-pubsub}: {@code url}, {@code hosts},
 * {@code prefix}, {@code command-timeout}, {@code buffer-size}. Durations are seconds ({@code 60}) or {@code 30s},
 * {@code 5m}; the Redis layer needs whole seconds.
 */
public final class RedisLayerFactory implements ChannelLayers.Factory, Function<Map<String, String>, ChannelLayer> {

  /** Creates the factory ({@link java.util.ServiceLoader} and the {@code runworker} command instantiate it by name). */
  public RedisLayerFactory() {}

  /**
   * Returns the backend names served: {@code redis}, {@code redis-pubsub} and the channels_redis class paths.
   *
   * @return the backend names
   */
  @Override
  public Set<String> backends() {
    return Set.of(RedisLayerSettings.REDIS, RedisLayerSettings.CORE_CLASS, RedisLayerSettings.PUBSUB,
        RedisLayerSettings.PUBSUB_CLASS);
  }

  /**
   * Returns the options {@code backend} takes (see the class comment).
   *
   * @param backend one of {@link #backends()}
   * @return the option names
   */
  @Override
  public Set<String> options(String backend) {
    return RedisLayerSettings.isPubSub(backend) ? RedisLayerSettings.PUBSUB_OPTIONS : RedisLayerSettings.CORE_OPTIONS;
  }

  /**
   * Checks {@code settings} with the layer's builder now; the layer is built (and starts connecting) later.
   *
   * @param backend one of {@link #backends()}
   * @param settings the alias's options
   * @return builds the layer
   */
  @Override
  public Supplier<ChannelLayer> prepare(String backend, ChannelLayers.Settings settings) {
    return RedisLayerSettings.isPubSub(backend) ? RedisLayerSettings.pubSub(settings) : RedisLayerSettings.core(settings);
  }

  /**
   * Builds a {@link RedisChannelLayer} from {@code runworker}'s {@code --layer-option}s: the {@code redis}
   * backend's options, with {@code host} meaning {@code hosts}; errors name them as {@code
   * channels.layers.default.<option>}.
   *
   * @param options the options, e.g. {@code host=redis://127.0.0.1:6379/0}
   * @return the layer
   * @throws IllegalArgumentException naming the option and quoting the value, if one is wrong or unknown
   */
  @Override
  public ChannelLayer apply(Map<String, String> options) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("channels.layers.default.backend", RedisLayerSettings.REDIS);
    options.forEach((k, v) -> settings.put("channels.layers.default."
        + (k.toLowerCase(Locale.ROOT).equals("host") ? "hosts" : k), v));
    return ChannelLayers.Configuration.read(settings).get(ChannelLayers.DEFAULT).orElseThrow();
  }
}
