package io.channels4j.redis.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Channels' {@code channel_capacity}: patterns matched in order against the full channel name, the first
 * match wins. Globs follow Python's {@code fnmatch} (whole name); regexes follow {@code re.match}
 * (anchored at the start only).
 */
public final class Capacities {

  private final List<Pattern> patterns = new ArrayList<>();
  private final List<Boolean> whole = new ArrayList<>();
  private final List<Integer> capacities = new ArrayList<>();
  private final int defaultCapacity;

  /** Capacities with {@code defaultCapacity} for names no pattern matches. */
  public Capacities(int defaultCapacity) {
    this.defaultCapacity = defaultCapacity;
  }

  /** Adds a glob entry. */
  public void addGlob(String glob, int capacity) {
    patterns.add(Pattern.compile(globToRegex(glob), Pattern.DOTALL));
    whole.add(true);
    capacities.add(capacity);
  }

  /** Adds a regex entry. */
  public void addRegex(Pattern regex, int capacity) {
    patterns.add(regex);
    whole.add(false);
    capacities.add(capacity);
  }

  /** Whether every channel has the default capacity (no pattern entries). */
  public boolean uniform() {
    return patterns.isEmpty();
  }

  /** The capacity of {@code channel}. */
  public int of(String channel) {
    for (int i = 0; i < patterns.size(); i++) {
      java.util.regex.Matcher m = patterns.get(i).matcher(channel);
      if (whole.get(i) ? m.matches() : m.lookingAt()) {
        return capacities.get(i);
      }
    }
    return defaultCapacity;
  }

  /** Python's {@code fnmatch.translate}: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}. */
  static String globToRegex(String glob) {
    StringBuilder sb = new StringBuilder();
    int i = 0;
    int n = glob.length();
    while (i < n) {
      char c = glob.charAt(i++);
      if (c == '*') {
        sb.append(".*");
      } else if (c == '?') {
        sb.append('.');
      } else if (c == '[') {
        int j = i;
        if (j < n && glob.charAt(j) == '!') {
          j++;
        }
        if (j < n && glob.charAt(j) == ']') {
          j++;
        }
        while (j < n && glob.charAt(j) != ']') {
          j++;
        }
        if (j >= n) {
          sb.append("\\[");
        } else {
          String stuff = glob.substring(i, j).replace("\\", "\\\\");
          i = j + 1;
          if (stuff.startsWith("!")) {
            stuff = "^" + stuff.substring(1);
          } else if (stuff.startsWith("^")) {
            stuff = "\\" + stuff;
          }
          sb.append('[').append(stuff.replace("[", "\\[")).append(']');
        }
      } else {
        sb.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return sb.toString();
  }
}
