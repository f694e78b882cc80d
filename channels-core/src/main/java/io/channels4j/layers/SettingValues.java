package io.channels4j.layers;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for {@link ChannelLayers.Settings}: every error names the full key and quotes the value, e.g.
 * {@code channels.layers.default.capacity must be a positive whole number, got 'abc'}.
 */
final class SettingValues {

  static final String CHANNEL_CAPACITY = "channel-capacity";

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

  private SettingValues() {}

  static int positiveInt(String key, String text) {
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + " must be a positive whole number, got '" + text + "'");
  }

  static Duration duration(String key, String text) {
    String t = text.strip();
    Duration d = null;
    Matcher m = DURATION.matcher(t.toLowerCase(Locale.ROOT));
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        d = switch (unit) {
          case "ms" -> Duration.ofMillis(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofSeconds(n);
        };
      } else if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
        d = Duration.parse(t);
      }
    } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
      d = null;
    }
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(key + " must be a positive duration: whole seconds (60), a number with a"
          + " unit (500ms, 30s, 5m, 2h, 1d) or ISO-8601 (PT30S), got '" + text + "'");
    }
    return d;
  }

  static List<String> list(String key, String text) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",", -1)) {
      if (item.isBlank()) {
        throw new IllegalArgumentException(key + " must be a comma-separated list without empty items, got '"
            + text + "'");
      }
      items.add(item.strip());
    }
    return List.copyOf(items);
  }

  /** The list form first, in order, then the per-glob keys, longest glob first (see Settings). */
  static Map<String, Integer> channelCapacities(ChannelLayers.Settings settings, Map<String, String> options) {
    Map<String, Integer> result = new LinkedHashMap<>();
    String listKey = settings.property(CHANNEL_CAPACITY);
    for (String entry : settings.list(CHANNEL_CAPACITY)) {
      int eq = entry.lastIndexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(listKey + " must list glob=capacity pairs, e.g. 'http.request=200,"
            + "websocket.send!*=20', got '" + entry + "'");
      }
      result.putIfAbsent(entry.substring(0, eq).strip(), positiveInt(listKey + " (" + entry.substring(0, eq).strip()
          + ")", entry.substring(eq + 1)));
    }
    String keyPrefix = CHANNEL_CAPACITY + ".";
    options.keySet().stream().filter(k -> k.startsWith(keyPrefix) && k.length() > keyPrefix.length())
        .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
        .forEach(k -> result.putIfAbsent(k.substring(keyPrefix.length()), positiveInt(settings.property(k),
            options.get(k))));
    return result;
  }
}
