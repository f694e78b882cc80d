package io.channels4j.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code path()} pattern such as {@code ws/chat/<str:room_name>/}, compiled as Django's {@code
 * RoutePattern}: literal text plus {@code <converter:name>} segments ({@code <name>} means {@code str}). An
 * endpoint pattern must match the whole path; a pattern in front of a nested router matches a prefix.
 */
final class PathPattern implements RoutePattern {

  private static final Pattern PARAMETER = Pattern.compile("<(?:([^>:]+):)?([^>]+)>");

  private final String route;
  private final boolean endpoint;
  private final Pattern regex;
  private final List<String> names = new ArrayList<>();
  private final List<PathConverter<?>> converters = new ArrayList<>();

  PathPattern(String route, boolean endpoint) {
    this.route = route;
    this.endpoint = endpoint;
    if (route.startsWith("/")) {
      throw new IllegalArgumentException(
          "URL route '" + route + "' starts with '/', so it can never match: routers strip the leading '/' "
              + "of the path before matching; write '" + route.replaceFirst("^/+", "") + "'");
    }
    StringBuilder sb = new StringBuilder();
    Matcher m = PARAMETER.matcher(route);
    int previousEnd = 0;
    while (m.find()) {
      if (m.group().chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "URL route '" + route + "' cannot contain whitespace in angle brackets <...>");
      }
      String converterName = m.group(1) == null ? "str" : m.group(1);
      String name = m.group(2);
      if (!isIdentifier(name)) {
        throw new IllegalArgumentException(
            "URL route '" + route + "' uses parameter name '" + name + "' which isn't a valid identifier");
      }
      if (names.contains(name)) {
        throw new IllegalArgumentException("URL route '" + route + "' uses parameter name '" + name + "' twice");
      }
      PathConverter<?> converter = Converters.get(converterName);
      if (converter == null) {
        throw new IllegalArgumentException(
            "URL route '" + route + "' uses invalid converter '" + converterName + "'; known converters: "
                + Converters.names());
      }
      appendLiteral(sb, route.substring(previousEnd, m.start()));
      sb.append("(?<p").append(names.size()).append('>').append(converter.regex()).append(')');
      names.add(name);
      converters.add(converter);
      previousEnd = m.end();
    }
    appendLiteral(sb, route.substring(previousEnd));
    requireNoStrayBracket(route, names.size());
    try {
      this.regex = names.isEmpty() ? null : Pattern.compile(sb.toString(), Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "URL route '" + route + "' does not compile with its converters' regexes: " + e.getDescription(), e);
    }
  }

  @Override
  public Match match(String path) {
    if (regex == null) {
      // No converters: plain text, as in Django's fast path.
      if (endpoint) {
        return path.equals(route) ? new Match("", List.of(), Map.of()) : null;
      }
      return path.startsWith(route) ? new Match(path.substring(route.length()), List.of(), Map.of()) : null;
    }
    Matcher m = regex.matcher(path);
    if (!(endpoint ? m.matches() : m.lookingAt())) {
      return null;
    }
    Map<String, Object> kwargs = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      PathConverter<?> converter = converters.get(i);
      Object value;
      try {
        value = converter.toJava(m.group("p" + i));
      } catch (IllegalArgumentException e) {
        return null;
      }
      if (value == null) {
        throw new IllegalStateException(
            "path converter " + converter + " returned null for '" + m.group("p" + i) + "' in route '" + route
                + "'; throw IllegalArgumentException to reject a value");
      }
      kwargs.put(names.get(i), value);
    }
    return new Match(path.substring(m.end()), List.of(), kwargs);
  }

  /**
   * After the parameters are taken out, any {@code <} or {@code >} left is unbalanced ({@code ws/<room/});
   * Django only warns (a system check) and then matches the bracket literally, which a porter never means.
   */
  private static void requireNoStrayBracket(String route, int parameters) {
    String rest = PARAMETER.matcher(route).replaceAll("");
    int lt = rest.indexOf('<');
    int gt = rest.indexOf('>');
    if (lt >= 0 || gt >= 0) {
      throw new IllegalArgumentException("URL route '" + route + "' has an unmatched '" + (lt >= 0 ? '<' : '>')
          + "': parameters are written <name> or <converter:name>" + (parameters == 0 ? "" : " (it has "
          + parameters + " well-formed)"));
    }
  }

  private static void appendLiteral(StringBuilder sb, String literal) {
    if (!literal.isEmpty()) {
      sb.append(Pattern.quote(literal));
    }
  }

  private static boolean isIdentifier(String name) {
    if (name.isEmpty() || !Character.isJavaIdentifierStart(name.codePointAt(0)) || name.indexOf('$') >= 0) {
      return false;
    }
    return name.codePoints().allMatch(Character::isJavaIdentifierPart);
  }

  @Override
  public String toString() {
    return route;
  }
}
