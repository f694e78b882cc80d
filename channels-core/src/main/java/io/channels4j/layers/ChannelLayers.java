package io.channels4j.layers;

import io.channels4j.Application;
import io.channels4j.Scope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The registry of channel layers by alias: the Java form of Channels' {@code CHANNEL_LAYERS} setting
 * and {@code get_channel_layer(alias)}. Consumers look up {@value #DEFAULT} unless they name another
 * alias.
 *
 * <pre>{@code
 * ChannelLayers.set(ChannelLayers.DEFAULT, InMemoryChannelLayer.create());
 * }</pre>
 *
 * <p>Or from settings, as Channels reads {@code CHANNEL_LAYERS} (keys and backends in {@link
 * #configure(Map)}):
 *
 * <pre>{@code
 * ChannelLayers.configure(Map.of("channels.layers.default.url", "redis://localhost:6379/0"));
 * }</pre>
 *
 * <p>The registry is one per JVM. Where several applications share a JVM but must not share layers (two
 * servers in one test run, tests running in parallel), {@link #bind(Application, Function)} gives one
 * application its own lookup; its consumers never see the global registry.
 */
public final class ChannelLayers {

  /** The alias consumers use unless told otherwise. */
  public static final String DEFAULT = "default";

  /** Per alias, a layer set in code or one a {@link Configuration} creates on first lookup. */
  private static final Map<String, Slot> LAYERS = new ConcurrentHashMap<>();

  /** A registry entry: {@code layer}, or (when null) the one {@code from} creates under {@code alias}. */
  private record Slot(ChannelLayer layer, Configuration from, String alias) {
    ChannelLayer resolve() {
      return layer != null ? layer : from.get(alias).orElse(null);
    }

    ChannelLayer created() {
      return layer != null ? layer : from.created(alias);
    }
  }

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
    return previous(LAYERS.put(alias, new Slot(layer, null, alias)));
  }

  private static Optional<ChannelLayer> previous(Slot slot) {
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.created());
  }

  /**
   * Returns the layer registered under {@code alias}, if any. A layer {@linkplain #configure(Map) configured}
   * from settings is created here on first lookup, as Channels' {@code get_channel_layer()} does.
   *
   * @param alias the layer alias
   * @return the layer registered under {@code alias}, if any
   */
  public static Optional<ChannelLayer> get(String alias) {
    Slot slot = LAYERS.get(Objects.requireNonNull(alias, "alias"));
    return slot == null ? Optional.empty() : Optional.ofNullable(slot.resolve());
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
   * Removes the layer under {@code alias} (without closing it); returns it (empty if a configured layer
   * there was never looked up, so never created).
   *
   * @param alias the layer alias
   * @return the channel layer, or empty
   */
  public static Optional<ChannelLayer> remove(String alias) {
    return previous(LAYERS.remove(Objects.requireNonNull(alias, "alias")));
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

  /**
   * Reads channel layer settings, the Java form of Channels' {@code CHANNEL_LAYERS}, checks every value now and
   * registers every alias found, replacing what was there; each layer is created on its first {@link
   * #get(String)}, so an unreachable Redis does not fail here. Keys not starting with {@code channels.layers.}
   * are ignored, so a whole application properties file can be passed. Keys, per alias:
   *
   * <ul>
   *   <li>{@code channels.layers.<alias>.backend}: {@code inmemory}, {@code redis}, {@code redis-pubsub} (with
   *       channels-redis), a Channels class path such as {@code channels_redis.core.RedisChannelLayer}, any
   *       name a {@link Factory} on the class or module path serves, or the class name of a {@code Factory}.
   *       Left out: {@code inmemory} without a URL (or with {@code url=memory:}), else {@code redis};
   *   <li>the backend's options, e.g. {@code url}, {@code hosts} (comma separated, one per shard), {@code
   *       capacity}, {@code expiry} and {@code group-expiry} (seconds, or {@code 500ms}, {@code 30s}, {@code
   *       5m}, {@code 1h}, {@code PT30S}), {@code channel-capacity.<glob>=N}, {@code prefix}, {@code
   *       symmetric-encryption-keys}; snake_case names ({@code group_expiry}) are accepted too. An option the
   *       backend does not take is an error naming it and listing the ones it takes;
   *   <li>{@code channels.layers.<alias>.test.<option>}: Channels' {@code TEST_CONFIG}. When {@code
   *       channels.layers.use-test-config} is {@code true} (in the settings or as a system property), an alias
   *       with {@code test.*} keys uses those instead of its other options ({@code test.backend} left out
   *       keeps the alias's backend).
   * </ul>
   *
   * @param settings the settings, e.g. {@code channels.layers.default.url=redis://localhost:6379}
   * @return the configuration, to {@linkplain Configuration#close() close} at shutdown (closes the layers it
   *     created and unregisters its aliases)
   * @throws IllegalArgumentException naming the key and quoting the value, if a setting is wrong
   */
  public static Configuration configure(Map<String, String> settings) {
    return register(Configuration.read(settings));
  }

  /**
   * {@link #configure(Map)} with the settings in {@code properties} (e.g. loaded from a file).
   *
   * @param properties the settings
   * @return the configuration, to close at shutdown
   * @throws IllegalArgumentException naming the key and quoting the value, if a setting is wrong
   */
  public static Configuration configure(Properties properties) {
    return configure(LayerSettingsReader.toMap(properties));
  }

  /**
   * {@link #configure(Properties)} with the settings in a properties file (UTF-8).
   *
   * @param file the file, e.g. {@code layers.properties}
   * @return the configuration, to close at shutdown
   * @throws IllegalArgumentException if the file cannot be read (naming it), or naming the key and quoting the
   *     value if a setting is wrong
   */
  public static Configuration configure(Path file) {
    return configure(LayerSettingsReader.load(file));
  }

  /**
   * {@link #configure(Map)} from the process environment: environment variables {@code CHANNELS_LAYERS_<ALIAS>_<OPTION>}
   * (e.g. {@code CHANNELS_LAYERS_DEFAULT_URL=redis://redis:6379}; the alias is lowercased, the option
   * lowercased with {@code _} read as {@code -}, {@code CHANNELS_LAYERS_DEFAULT_TEST_URL} is {@code
   * test.url}, {@code CHANNELS_LAYERS_DEFAULT_CHANNEL_CAPACITY=http.request=200,websocket.send!*=20} lists
   * patterns), then system properties {@code channels.layers.*}, which win.
   *
   * @return the configuration, to close at shutdown
   * @throws IllegalArgumentException naming the variable or key and quoting the value, if a setting is wrong
   */
  public static Configuration configureFromEnvironment() {
    return configure(LayerSettingsReader.environment(System.getenv(), System.getProperties()));
  }

  private static Configuration register(Configuration configuration) {
    for (String alias : configuration.aliases()) {
      Slot slot = new Slot(null, configuration, alias);
      configuration.registered.put(alias, slot);
      LAYERS.put(alias, slot);
    }
    return configuration;
  }

  /**
   * Channel layers read from settings: created on first {@link #get(String)}, then the same instance until
   * {@link #close()}. {@link ChannelLayers#configure(Map)} registers them globally; {@link #read(Map)} does
   * not, for {@link ChannelLayers#bind} or a framework with its own registry.
   */
  public static final class Configuration implements AutoCloseable {
    private final Map<String, Supplier<ChannelLayer>> prepared;
    private final Map<String, String> backends;
    private final Map<String, ChannelLayer> created = new ConcurrentHashMap<>();
    private final Map<String, Slot> registered = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Configuration(Map<String, Supplier<ChannelLayer>> prepared, Map<String, String> backends) {
      this.prepared = Map.copyOf(prepared);
      this.backends = Map.copyOf(backends);
    }

    /**
     * Reads and checks settings as {@link ChannelLayers#configure(Map)} does, without registering anything.
     *
     * @param settings the settings
     * @return the layers they describe, none created yet
     * @throws IllegalArgumentException naming the key and quoting the value, if a setting is wrong
     */
    public static Configuration read(Map<String, String> settings) {
      return LayerSettingsReader.read(settings, Boolean.getBoolean(LayerSettingsReader.USE_TEST_CONFIG));
    }

    /**
     * Returns the aliases configured.
     *
     * @return the aliases configured
     */
    public Set<String> aliases() {
      return prepared.keySet();
    }

    /**
     * Returns the backend {@code alias} uses, as named in the settings (or inferred: {@code inmemory}, {@code redis}).
     *
     * @param alias the layer alias
     * @return the backend name, or empty for an alias not configured
     */
    public Optional<String> backend(String alias) {
      return Optional.ofNullable(backends.get(Objects.requireNonNull(alias, "alias")));
    }

    /**
     * Returns the layer under {@code alias}, creating it on the first call.
     *
     * @param alias the layer alias
     * @return the layer, or empty for an alias not configured
     * @throws IllegalStateException after {@link #close()}
     */
    public Optional<ChannelLayer> get(String alias) {
      Supplier<ChannelLayer> make = prepared.get(Objects.requireNonNull(alias, "alias"));
      if (make == null) {
        return Optional.empty();
      }
      ChannelLayer made = created.get(alias);
      if (made != null && !closed) {
        return Optional.of(made);
      }
      synchronized (this) {
        if (closed) {
          throw new IllegalStateException("channel layer configuration is closed; alias '" + alias + "'");
        }
        return Optional.of(created.computeIfAbsent(alias, a -> make.get()));
      }
    }

    ChannelLayer created(String alias) {
      return created.get(alias);
    }

    /** Unregisters this configuration's aliases still registered to it, then closes the layers it created. */
    @Override
    public void close() {
      registered.forEach(LAYERS::remove);
      registered.clear();
      synchronized (this) {
        closed = true;
      }
      created.values().forEach(ChannelLayer::close);
      created.clear();
    }

    @Override
    public String toString() {
      return "ChannelLayers.Configuration" + backends;
    }
  }

  /**
   * A channel layer backend for settings, the Java form of a {@code BACKEND} class path. Register one in {@code
   * META-INF/services/io.channels4j.layers.ChannelLayers$Factory} (or {@code provides} in a module) to serve
   * backend names, or name its class as the backend; it needs a public no-argument constructor.
   */
  public interface Factory {

    /**
     * Returns the backend names served, e.g. {@code redis} (matched ignoring case).
     *
     * @return the backend names served
     */
    Set<String> backends();

    /**
     * Returns the options {@code backend} takes, e.g. {@code url}, {@code capacity}; {@code channel-capacity}
     * also admits {@code channel-capacity.<pattern>}. The reader rejects any other.
     *
     * @param backend one of {@link #backends()}, or this factory's class name
     * @return the option names, in kebab-case
     */
    Set<String> options(String backend);

    /**
     * Checks {@code settings} now and returns how to create the layer later (on first lookup).
     *
     * @param backend one of {@link #backends()}, or this factory's class name
     * @param settings the alias's options
     * @return creates the layer; called at most once per {@link Configuration}
     * @throws IllegalArgumentException naming the key ({@link Settings#property}) and quoting the value
     */
    Supplier<ChannelLayer> prepare(String backend, Settings settings);
  }

  /** One alias's options as text, with parsers whose errors name the key and quote the value. */
  public static final class Settings {
    private final String prefix;
    private final Map<String, String> options;

    Settings(String prefix, Map<String, String> options) {
      this.prefix = prefix;
      this.options = options;
    }

    /**
     * Returns the options given, in kebab-case ({@code channel-capacity.<pattern>} entries included).
     *
     * @return the option names given
     */
    public Set<String> names() {
      return options.keySet();
    }

    /**
     * Returns the full key of {@code option}, for error messages, e.g. {@code channels.layers.default.url}.
     *
     * @param option the option name
     * @return the full key
     */
    public String property(String option) {
      return prefix + option;
    }

    /**
     * Returns the option's text, stripped; empty if it was not given.
     *
     * @param option the option name
     * @return the text, if given
     */
    public Optional<String> text(String option) {
      return Optional.ofNullable(options.get(option));
    }

    /**
     * Returns the option as a whole number of at least 1.
     *
     * @param option the option name
     * @return the number, if given
     * @throws IllegalArgumentException if it is not a positive whole number
     */
    public OptionalInt positiveInt(String option) {
      return text(option).map(t -> OptionalInt.of(SettingValues.positiveInt(property(option), t)))
          .orElse(OptionalInt.empty());
    }

    /**
     * Returns the option as a positive duration: whole seconds ({@code 60}), a number with a unit ({@code
     * 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT30S}).
     *
     * @param option the option name
     * @return the duration, if given
     * @throws IllegalArgumentException if it is none of these, or not positive
     */
    public Optional<Duration> duration(String option) {
      return text(option).map(t -> SettingValues.duration(property(option), t));
    }

    /**
     * Returns the option as a comma-separated list, each item stripped; empty if not given.
     *
     * @param option the option name
     * @return the items
     * @throws IllegalArgumentException if an item is empty
     */
    public List<String> list(String option) {
      return text(option).map(t -> SettingValues.list(property(option), t)).orElse(List.of());
    }

    /**
     * Returns Channels' {@code channel_capacity}: glob to capacity, in the order to try them. First the
     * list form {@code channel-capacity=glob=N,glob=N} in its order, then each {@code channel-capacity.<glob>=N},
     * longest glob first (ties alphabetically), as key order is lost in properties files.
     *
     * @return the capacities by glob, in match order
     * @throws IllegalArgumentException if a capacity is not a positive whole number
     */
    public Map<String, Integer> channelCapacities() {
      return SettingValues.channelCapacities(this, options);
    }

    @Override
    public String toString() {
      return prefix + "*" + options.keySet();
    }
  }
}
