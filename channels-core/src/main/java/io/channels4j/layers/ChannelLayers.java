package io.channels4j.layers;

import io.channels4j.Application;
import io.channels4j.Scope;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The registry of channel layers by alias: the Java form of Channels' {@code CHANNEL_LAYERS} setting
 * and {@code get_channel_layer(alias)}. Consumers look up {@value #DEFAULT} unless they name another
 * alias.
 *
 * <pre>{@code
 * ChannelLayers.set(ChannelLayers.DEFAULT, InMemoryChannelLayer.create());
 * }</pre>
 *
 * <p>The registry is one per JVM. Where several applications share a JVM but must not share layers (two
 * servers in one test run, tests running in parallel), {@link #bind(Application, Function)} gives one
 * application its own lookup; its consumers never see the global registry.
 */
public final class ChannelLayers {

  /** The alias consumers use unless told otherwise. */
  public static final String DEFAULT = "default";

  private static final Map<String, ChannelLayer> LAYERS = new ConcurrentHashMap<>();

  /** The scope key under which {@link #bind} puts an application's own lookup. */
  private static final String SCOPE_KEY = "channels4j.channel_layers";

  /** An application's own lookup, as carried in its scopes (a private type, so no one else can forge it). */
  private record Binding(Function<String, ChannelLayer> layers) {}

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

  /**
   * Returns {@code application} with its own layer lookup: every connection it handles (and every consumer
   * under it, through routers and middleware) finds its layers with {@code layers} (alias to layer, or
   * {@code null} for none) instead of the global registry. Nothing global changes, so applications bound
   * to different layers can run side by side in one JVM.
   *
   * <pre>{@code
   * Application app = ChannelLayers.bind(router, alias -> alias.equals(ChannelLayers.DEFAULT) ? layer : null);
   * }</pre>
   *
   * @param application the application to wrap
   * @param layers the lookup from alias to layer, returning null for an alias it has no layer for
   * @return an application that handles each connection with {@code application}, with the lookup in its scope
   */
  public static Application bind(Application application, Function<String, ChannelLayer> layers) {
    Objects.requireNonNull(application, "application");
    Binding binding = new Binding(Objects.requireNonNull(layers, "layers"));
    return (scope, receive, send) -> application.handle(scope.with(SCOPE_KEY, binding), receive, send);
  }

  /**
   * Returns the layer under {@code alias} for a connection with {@code scope}: the application's own lookup
   * if it was {@linkplain #bind bound}, else the global registry. Consumers find their layer this way.
   *
   * @param scope the connection's scope, which carries the lookup of a bound application
   * @param alias the layer's alias, e.g. {@link #DEFAULT}
   * @return the layer, or empty if the lookup in use has none under {@code alias}
   */
  public static Optional<ChannelLayer> get(Scope scope, String alias) {
    Objects.requireNonNull(alias, "alias");
    if (scope.get(SCOPE_KEY).orElse(null) instanceof Binding binding) {
      return Optional.ofNullable(binding.layers().apply(alias));
    }
    return get(alias);
  }
}
