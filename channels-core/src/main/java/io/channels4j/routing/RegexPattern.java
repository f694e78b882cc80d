package io.channels4j.routing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code rePath()} pattern, compiled as Django's {@code RegexPattern}: named groups give kwargs; unnamed
 * groups give args only when the pattern has no named group; groups that did not take part in the match
 * are dropped. An endpoint pattern ending in {@code $} must match the whole path; any other pattern is
 * searched for (so it matches anywhere unless anchored with {@code ^}).
 *
 * <p>Both Python's {@code (?P<name>...)} / {@code (?P=name)} and Java's {@code (?<name>...)} / {@code
 * \k<name>} spellings are accepted, names may contain underscores, Python's {@code \Z} means end of input,
 * and {@code \d \w \s} are Unicode-aware as in Python 3.
 */
final class RegexPattern implements RoutePattern {

  private final String regexText;
  private final boolean fullMatch;
  private final Pattern regex;
  /** Kwarg name to Java group name, in pattern order. */
  private final Map<String, String> named = new LinkedHashMap<>();
  private int groupCount;

  RegexPattern(String regexText, boolean endpoint) {
    this.regexText = regexText;
    this.fullMatch = endpoint && regexText.endsWith("$");
    String translated = translate(regexText);
    try {
      this.regex = Pattern.compile(translated, Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "URL regex '" + regexText + "' is not a valid regular expression: " + e.getDescription(), e);
    }
  }

  @Override
  public Match match(String path) {
    Matcher m = regex.matcher(path);
    if (!(fullMatch ? m.matches() : m.find())) {
      return null;
    }
    List<Object> args = new ArrayList<>();
    Map<String, Object> kwargs = new LinkedHashMap<>();
    if (named.isEmpty()) {
      for (int i = 1; i <= m.groupCount(); i++) {
        if (m.group(i) != null) {
          args.add(m.group(i));
        }
      }
    } else {
      for (Map.Entry<String, String> e : named.entrySet()) {
        String value = m.group(e.getValue());
        if (value != null) {
          kwargs.put(e.getKey(), value);
        }
      }
    }
    return new Match(path.substring(m.end()), args, kwargs);
  }

  /** Rewrites group names to Java-safe ones ({@code g1}, {@code g2}, ...) and Python-only syntax. */
  private String translate(String p) {
    StringBuilder out = new StringBuilder(p.length() + 16);
    int classDepth = 0;
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '\\') {
        if (i + 1 >= p.length()) {
          out.append(c);
          i++;
          continue;
        }
        char next = p.charAt(i + 1);
        if (next == 'Q') {
          int end = p.indexOf("\\E", i + 2);
          end = end < 0 ? p.length() : end + 2;
          out.append(p, i, end);
          i = end;
        } else if (next == 'Z' && classDepth == 0) {
          out.append("\\z");
          i += 2;
        } else if (next == 'k' && classDepth == 0 && i + 2 < p.length() && p.charAt(i + 2) == '<') {
          int close = p.indexOf('>', i + 3);
          if (close < 0) {
            throw invalid("unterminated \\k<name> back-reference");
          }
          out.append("\\k<").append(javaName(p.substring(i + 3, close))).append('>');
          i = close + 1;
        } else {
          out.append(c).append(next);
          i += 2;
        }
        continue;
      }
      if (classDepth > 0) {
        if (c == '[') {
          classDepth++;
        } else if (c == ']' && !atClassStart(p, i)) {
          classDepth--;
        }
        out.append(c);
        i++;
        continue;
      }
      if (c == '[') {
        classDepth++;
        out.append(c);
        i++;
        continue;
      }
      if (c == '(') {
        if (p.startsWith("(?P<", i) || (p.startsWith("(?<", i) && !p.startsWith("(?<=", i) && !p.startsWith("(?<!", i))) {
          int start = p.indexOf('<', i) + 1;
          int close = p.indexOf('>', start);
          if (close < 0) {
            throw invalid("unterminated group name");
          }
          String name = p.substring(start, close);
          if (name.isEmpty() || !name.codePoints().allMatch(cp -> Character.isLetterOrDigit(cp) || cp == '_')
              || Character.isDigit(name.charAt(0))) {
            throw invalid("bad group name '" + name + "'");
          }
          if (named.containsKey(name)) {
            throw invalid("redefinition of group name '" + name + "'");
          }
          groupCount++;
          String javaName = "g" + groupCount;
          named.put(name, javaName);
          out.append("(?<").append(javaName).append('>');
          i = close + 1;
        } else if (p.startsWith("(?P=", i)) {
          int close = p.indexOf(')', i);
          if (close < 0) {
            throw invalid("unterminated (?P=name) back-reference");
          }
          out.append("\\k<").append(javaName(p.substring(i + 4, close))).append('>');
          i = close + 1;
        } else {
          if (!p.startsWith("(?", i)) {
            groupCount++;
          }
          out.append(c);
          i++;
        }
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static boolean atClassStart(String p, int i) {
    // ']' right after '[' or '[^' is a literal in both Python and Java.
    return p.charAt(i - 1) == '[' && (i < 2 || p.charAt(i - 2) != '\\')
        || (i >= 2 && p.charAt(i - 1) == '^' && p.charAt(i - 2) == '[');
  }

  private String javaName(String name) {
    String javaName = named.get(name);
    if (javaName == null) {
      throw invalid("back-reference to unknown group name '" + name + "'");
    }
    return javaName;
  }

  private IllegalArgumentException invalid(String why) {
    return new IllegalArgumentException("URL regex '" + regexText + "' is not a valid regular expression: " + why);
  }

  @Override
  public String toString() {
    return regexText;
  }
}
