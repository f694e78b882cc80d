package io.channels4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Channels' {@code channel_capacity}, shared by every layer: patterns tried in order against the full
 * channel name, the first match wins. Globs follow Python's {@code fnmatch} (the whole name must match);
 * regexes follow {@code re.match} (anchored at the start only). Not a public API.
 *
 * <p>Filled while a layer is configured, then used read-only ({@link #copy()} freezes a layer's own).
 */
public final class ChannelCapacities {

  private final List<Pattern> patterns = new ArrayList<>();
  private final List<Boolean> whole = new ArrayList<>();
  private final List<Integer> capacities = new ArrayList<>();

  /** Adds a glob entry; returns this. */
  public ChannelCapacities addGlob(String glob, int capacity) {
    return add(globToPattern(glob), true, capacity);
  }

  /** Adds a regex entry; returns this. */
  public ChannelCapacities addRegex(Pattern regex, int capacity) {
    return add(regex, false, capacity);
  }

  private ChannelCapacities add(Pattern pattern, boolean wholeName, int capacity) {
    patterns.add(pattern);
    whole.add(wholeName);
    capacities.add(capacity);
    return this;
  }

  /** Whether every channel has the default capacity (no pattern entries). */
  public boolean uniform() {
    return patterns.isEmpty();
  }

  /** The capacity of {@code channel}: the first matching entry's, else {@code fallback}. */
  public int of(String channel, int fallback) {
    for (int i = 0; i < patterns.size(); i++) {
      Matcher m = patterns.get(i).matcher(channel);
      if (whole.get(i) ? m.matches() : m.lookingAt()) {
        return capacities.get(i);
      }
    }
    return fallback;
  }

  /** A copy with the same entries. */
  public ChannelCapacities copy() {
    ChannelCapacities c = new ChannelCapacities();
    c.patterns.addAll(patterns);
    c.whole.addAll(whole);
    c.capacities.addAll(capacities);
    return c;
  }

  /**
   * Translates a glob the way Python's {@code fnmatch.translate} does: {@code *} any run, {@code ?} one
   * character, {@code [seq]} and {@code [!seq]} character sets, everything else literal.
   */
  public static Pattern globToPattern(String glob) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    int n = glob.length();
    while (i < n) {
      char c = glob.charAt(i++);
      if (c == '*') {
        re.append(".*");
        while (i < n && glob.charAt(i) == '*') {
          i++;
        }
      } else if (c == '?') {
        re.append('.');
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
          re.append("\\[");
        } else {
          String set = glob.substring(i, j);
          i = j + 1;
          re.append('[');
          int k = 0;
          if (set.startsWith("!")) {
            re.append('^');
            k = 1;
          }
          for (; k < set.length(); k++) {
            char d = set.charAt(k);
            if (d == '\\' || d == '[' || d == ']' || d == '&' || d == '^') {
              re.append('\\');
            }
            re.append(d);
          }
          re.append(']');
        }
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        re.append(c);
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }
}
