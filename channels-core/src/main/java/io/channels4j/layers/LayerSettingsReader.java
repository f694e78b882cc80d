package io.channels4j.layers;

import io.channels4j.internal.LogText;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads {@code channels.layers.*} settings into a {@link ChannelLayers.Configuration}: groups the keys by
 * alias, applies the test override, picks each alias's backend, rejects options the backend does not take and
 * lets the backend check the values, all before any layer is created.
 */
final class LayerSettingsReader {

  static final String PREFIX = "channels.layers.";
  static final String USE_TEST_CONFIG = PREFIX + "use-test-config";
  private static final String ENV_PREFIX = "CHANNELS_LAYERS_";
  private static final String TEST = "test.";
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Set<String> REDIS_SCHEMES = Set.of("redis", "rediss", "redis-socket", "redis-sentinel",
      "sentinel");
  private static final List<String> REDIS_KEYS = List.of("hosts", "cluster", "sentinels", "sentinel-master");

  private LayerSettingsReader() {}

  /** One alias's keys: its own options and its {@code test.*} ones, names normalised. */
  private record Alias(Map<String, String> options, Map<String, String> test) {}

  /** The properties in {@code file} (UTF-8); an unreadable file is an error naming it. */
  static Properties load(Path file) {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(in);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot read '" + file + "' (" + e + ")", e);
    }
    return properties;
  }

  static Map<String, String> toMap(Properties properties) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      map.put(name, properties.getProperty(name));
    }
    return map;
  }

  /** Environment variables {@code CHANNELS_LAYERS_*} as keys, then system properties {@code channels.layers.*}. */
  static Map<String, String> environment(Map<String, String> env, Properties system) {
    Map<String, String> settings = new TreeMap<>();
    env.forEach((name, value) -> {
      if (!name.startsWith(ENV_PREFIX)) {
        return;
      }
      String rest = name.substring(ENV_PREFIX.length());
      if (rest.equals("USE_TEST_CONFIG")) {
        settings.put(USE_TEST_CONFIG, value);
        return;
      }
      int cut = rest.indexOf('_');
      if (cut <= 0 || cut == rest.length() - 1) {
        throw new IllegalArgumentException("environment variable " + name + " must be named CHANNELS_LAYERS_<ALIAS>_"
            + "<OPTION>, e.g. CHANNELS_LAYERS_DEFAULT_URL");
      }
      String option = rest.substring(cut + 1).toLowerCase(Locale.ROOT).replace('_', '-');
      if (option.startsWith("test-")) {
        option = TEST + option.substring("test-".length());
      }
      settings.put(PREFIX + rest.substring(0, cut).toLowerCase(Locale.ROOT) + "." + option, value);
    });
    settings.putAll(toMap(system));
    return settings;
  }

  static boolean isMemoryUrl(String url) {
    return url.toLowerCase(Locale.ROOT).startsWith("memory:");
  }

  static ChannelLayers.Configuration read(Map<String, String> settings, boolean useTestConfig) {
    boolean useTest = useTestConfig;
    Map<String, Alias> aliases = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(settings).entrySet()) {
      String key = e.getKey();
      if (!key.startsWith(PREFIX)) {
        continue;
      }
      String value = e.getValue() == null ? "" : e.getValue().strip();
      if (key.equals(USE_TEST_CONFIG)) {
        useTest |= bool(key, value);
        continue;
      }
      String rest = key.substring(PREFIX.length());
      int dot = rest.indexOf('.');
      String alias = dot < 0 ? rest : rest.substring(0, dot);
      if (dot <= 0 || dot == rest.length() - 1 || !ALIAS.matcher(alias).matches()) {
        throw new IllegalArgumentException(key + " is not a layer setting: use channels.layers.<alias>.<option> with "
            + "an alias of letters, digits, '-' or '_', e.g. channels.layers.default.url (value '" + value + "')");
      }
      Alias a = aliases.computeIfAbsent(alias, x -> new Alias(new LinkedHashMap<>(), new LinkedHashMap<>()));
      String option = rest.substring(dot + 1);
      boolean test = option.startsWith(TEST);
      Map<String, String> into = test ? a.test() : a.options();
      String name = normalise(test ? option.substring(TEST.length()) : option);
      if (into.put(name, value) != null) {
        throw new IllegalArgumentException(key + " is given twice (kebab-case and snake_case spellings are the same"
            + " option): '" + value + "'");
      }
    }
    Map<String, Supplier<ChannelLayer>> prepared = new LinkedHashMap<>();
    Map<String, String> backends = new LinkedHashMap<>();
    for (Map.Entry<String, Alias> e : aliases.entrySet()) {
      String alias = e.getKey();
      Alias a = e.getValue();
      boolean test = useTest && !a.test().isEmpty();
      String prefix = PREFIX + alias + "." + (test ? TEST : "");
      Map<String, String> options = new LinkedHashMap<>(test ? a.test() : a.options());
      String backend = options.remove("backend");
      if (backend == null && test) {
        // Channels' TEST_CONFIG keeps the BACKEND; test.url=memory: is read as asking for the in-memory one
        boolean memory = options.containsKey("url") && isMemoryUrl(options.get("url"));
        boolean located = options.containsKey("url") || REDIS_KEYS.stream().anyMatch(options::containsKey);
        backend = memory ? InMemoryLayerFactory.NAME : a.options().containsKey("backend") ? a.options().get("backend")
            : located ? infer(prefix, options) : infer(PREFIX + alias + ".", a.options());
      } else if (backend == null) {
        backend = infer(prefix, options);
      }
      LayerBackends.Found found = LayerBackends.find(backend, prefix + "backend");
      checkKnown(prefix, found, options);
      ChannelLayers.Settings s = new ChannelLayers.Settings(prefix, Map.copyOf(options));
      prepared.put(alias, found.factory().prepare(found.backend(), s));
      backends.put(alias, backend);
    }
    return new ChannelLayers.Configuration(prepared, backends);
  }

  /** {@code GROUP_EXPIRY}, {@code group_expiry} and {@code group-expiry} are one option; a glob keeps its case. */
  private static String normalise(String option) {
    int dot = option.indexOf('.');
    String head = (dot < 0 ? option : option.substring(0, dot)).toLowerCase(Locale.ROOT).replace('_', '-');
    return dot < 0 ? head : head + option.substring(dot);
  }

  private static boolean bool(String key, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, got '" + value + "'");
    };
  }

  /** In memory without a URL or with {@code memory:}; Redis for a Redis URL, hosts, cluster or sentinels. */
  private static String infer(String prefix, Map<String, String> options) {
    String url = options.get("url");
    if (url != null) {
      if (isMemoryUrl(url)) {
        return InMemoryLayerFactory.NAME;
      }
      int colon = url.indexOf(':');
      if (colon > 0 && REDIS_SCHEMES.contains(url.substring(0, colon).toLowerCase(Locale.ROOT))) {
        return "redis";
      }
      throw new IllegalArgumentException(prefix + "url must be memory: or a redis://, rediss://, redis-socket:// or "
          + "redis-sentinel:// URI (or set " + prefix + "backend), got '" + LogText.withoutCredentials(url) + "'");
    }
    return REDIS_KEYS.stream().anyMatch(options::containsKey) ? "redis" : InMemoryLayerFactory.NAME;
  }

  /** A value for an error message: never a key or password, never a URI's credentials. */
  private static String shown(String option, String value) {
    String lower = option.toLowerCase(Locale.ROOT);
    return lower.contains("key") || lower.contains("password") || lower.contains("secret") ? "***"
        : LogText.withoutCredentials(value);
  }

  private static void checkKnown(String prefix, LayerBackends.Found found, Map<String, String> options) {
    Set<String> known = found.factory().options(found.backend());
    for (Map.Entry<String, String> o : options.entrySet()) {
      String name = o.getKey();
      String head = name.startsWith(SettingValues.CHANNEL_CAPACITY + ".") ? SettingValues.CHANNEL_CAPACITY : name;
      if (!known.contains(head)) {
        throw new IllegalArgumentException(prefix + name + " is not an option of backend '" + found.backend()
            + "' (its options: " + new TreeSet<>(known) + "), got '" + shown(name, o.getValue()) + "'");
      }
    }
  }
}
