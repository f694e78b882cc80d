package io.channels4j.routing;

import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The registry of path converters: Django's five built-ins plus those registered by the application. */
final class Converters {

  private static final Pattern NAME = Pattern.compile("[^<>:\\s]+");

  private static final Map<String, PathConverter<?>> BUILT_IN =
      Map.of(
          "str", PathConverter.of("[^/]+", s -> s),
          "int", PathConverter.of("[0-9]+", Integer::valueOf),
          "slug", PathConverter.of("[-a-zA-Z0-9_]+", s -> s),
          "uuid",
          PathConverter.of(
              "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", UUID::fromString),
          "path", PathConverter.of(".+", s -> s));

  private static final Map<String, PathConverter<?>> REGISTERED = new ConcurrentHashMap<>(BUILT_IN);

  private Converters() {}

  static PathConverter<?> get(String name) {
    return REGISTERED.get(name);
  }

  static TreeSet<String> names() {
    return new TreeSet<>(REGISTERED.keySet());
  }

  static void register(String name, PathConverter<?> converter) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(converter, "converter");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "converter name must be non-empty without whitespace, '<', '>' or ':', got '" + name + "'");
    }
    String regex = Objects.requireNonNull(converter.regex(), "converter.regex()");
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "converter '" + name + "' has an invalid regex '" + regex + "': " + e.getDescription(), e);
    }
    PathConverter<?> previous = REGISTERED.putIfAbsent(name, converter);
    if (previous != null && previous != converter) {
      throw new IllegalArgumentException(
          "converter '" + name + "' is already registered (" + previous + "); converters cannot be replaced");
    }
  }
}
