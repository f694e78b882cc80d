package io.channels4j.layers;

/**
 * Channels' naming rules, shared by every layer.
 *
 * <ul>
 *   <li>A group name is ASCII letters, digits, {@code -}, {@code _} and {@code .}, 1 to 99 characters.
 *   <li>A channel name is the same, optionally followed by one {@code !} and more of those characters
 *       (a process-local channel, e.g. {@code specific.abc!def}).
 * </ul>
 *
 * <p>These are Channels' rules (its regexes with ASCII classes; Python's are Unicode-aware, so a few
 * exotic names Python accepts are rejected here).
 */
public final class ChannelNames {

  /** Names must be shorter than this. */
  public static final int MAX_NAME_LENGTH = 100;

  /** ASCII letters, digits, '-', '_' and '.': the characters of names, checked by table, not regex (hot path). */
  private static final boolean[] NAME_CHARS = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      NAME_CHARS[c] = true;
      NAME_CHARS[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      NAME_CHARS[c] = true;
    }
    NAME_CHARS['-'] = true;
    NAME_CHARS['_'] = true;
    NAME_CHARS['.'] = true;
  }

  private ChannelNames() {}

  /**
   * Checks a channel name.
   *
   * @param name the name
   * @return the name
   * @throws IllegalArgumentException quoting the name and the rule it breaks
   */
  public static String requireValidChannelName(String name) {
    if (name == null) {
      throw new IllegalArgumentException("channel name must not be null");
    }
    if (!isValidName(name, true)) {
      throw new IllegalArgumentException(
          "channel name must be ASCII letters, digits, '-', '_' or '.' (with at most one '!'), and shorter than "
              + MAX_NAME_LENGTH + " characters: '" + name + "'");
    }
    return name;
  }

  /**
   * Checks a channel name given to {@code receive}: a valid channel name that, if process-local, ends at
   * its {@code !} or names one specific local channel.
   *
   * @param name the name
   * @return {@code name}, checked
   */
  public static String requireValidReceiveName(String name) {
    return requireValidChannelName(name);
  }

  /**
   * Checks a group name.
   *
   * @param name the name
   * @return the name
   * @throws IllegalArgumentException quoting the name and the rule it breaks
   */
  public static String requireValidGroupName(String name) {
    if (name == null) {
      throw new IllegalArgumentException("group name must not be null");
    }
    if (!isValidName(name, false)) {
      throw new IllegalArgumentException(
          "group name must be ASCII letters, digits, '-', '_' or '.', and shorter than "
              + MAX_NAME_LENGTH + " characters: '" + name + "'");
    }
    return name;
  }

  /**
   * The rules as Channels' regexes {@code [a-zA-Z\d\-_.]+(![a-zA-Z\d\-_.]*)?} (channels, with
   * {@code bang}) and {@code [a-zA-Z\d\-_.]+} (groups), in ASCII, shorter than {@link #MAX_NAME_LENGTH}.
   */
  private static boolean isValidName(String name, boolean bang) {
    int n = name.length();
    if (n == 0 || n >= MAX_NAME_LENGTH) {
      return false;
    }
    boolean seenBang = false;
    for (int i = 0; i < n; i++) {
      char c = name.charAt(i);
      if (c < 128 && NAME_CHARS[c]) {
        continue;
      }
      if (c == '!' && bang && !seenBang && i > 0) {
        seenBang = true;
        continue;
      }
      return false;
    }
    return true;
  }

  /**
   * Returns true if {@code channel} is process-local (contains {@code !}).
   *
   * @param channel the channel name
   * @return true if {@code channel} is process-local (contains {@code !})
   */
  public static boolean isProcessLocal(String channel) {
    return channel.indexOf('!') >= 0;
  }

  /**
   * The non-local part of a channel name: up to and including the {@code !}, or the whole name.
   *
   * @param channel the channel name
   * @return the non-local part of a channel name: up to and including the {@code !}, or the whole name
   */
  public static String nonLocalName(String channel) {
    int i = channel.indexOf('!');
    return i < 0 ? channel : channel.substring(0, i + 1);
  }
}
