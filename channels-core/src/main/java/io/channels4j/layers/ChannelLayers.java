package io.channels4j.layers;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry of channel layers by alias: the Java form of Channels' {@code CHANNEL_LAYERS} setting
 * and {@code get_channel_layer(alias)}. Consumers look up {@value #DEFAULT} unless they name another
 * alias.
 *
 * <pre>{@code
 * ChannelLayers.set(ChannelLayers.DEFAULT, InMemoryChannelLayer.create());
 * }</pre>
 */
public final class ChannelLayers {

  /** The alias consumers use unless told otherwise. */
  public static final String DEFAULT = "default";

  private static final Map<String, ChannelLayer> LAYERS = new ConcurrentHashMap<>();

  private ChannelLayers() {}

  /**
   * Registers {@code layer} under {@code alias}, replacing any layer there; returns the previous one.
   *
   * @param alias the layer alias
   * @param layer the channel layer
   * @return the channel layer, or empty
   */
  public static Optional<ChannelLayer> set(String alias, ChannelLayer layer) {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(layer, "layer");
    return Optional.ofNullable(LAYERS.put(alias, layer));
  }

  /**
   * Returns the layer registered under {@code alias}, if any.
   *
   * @param alias the layer alias
   * @return the layer registered under {@code alias}, if any
   */
  public static Optional<ChannelLayer> get(String alias) {
    return Optional.ofNullable(LAYERS.get(Objects.requireNonNull(alias, "alias")));
  }

  /**
   * Returns the {@value #DEFAULT} layer, if any.
   *
   * @return the {@value #DEFAULT} layer, if any
   */
  public static Optional<ChannelLayer> get() {
    return get(DEFAULT);
  }

  /**
   * Removes the layer under {@code alias} (without closing it); returns it.
   *
   * @param alias the layer alias
   * @return the channel layer, or empty
   */
  public static Optional<ChannelLayer> remove(String alias) {
    return Optional.ofNullable(LAYERS.remove(Objects.requireNonNull(alias, "alias")));
  }
}
