package io.channels4j.internal;

/**
 * Makes client-supplied text safe to put in a log line: control characters and other invisible
 * characters are escaped, so a {@code %0a} in a path cannot start a forged log line. Not a public API.
 */
public final class LogText {

  /** Longest client text kept in a log line; longer text is cut and ends with {@code "..."}. */
  public static final int MAX = 2048;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private LogText() {}

  private static final java.util.regex.Pattern USER_INFO = java.util.regex.Pattern.compile("(://)[^/@\\s']*@");

  /**
   * {@code text} with the user-info part of every URI in it ({@code redis://user:password@host}) replaced by
   * {@code ***}: for error messages and log lines that quote a setting which may carry a password.
   *
   * @param text the text, or null
   * @return the text without credentials ({@code "null"} for null)
   */
  public static String withoutCredentials(String text) {
    return text == null ? "null" : USER_INFO.matcher(text).replaceAll("$1***@");
  }

  /**
   * Escapes {@code text} for a log line: {@code \n}, {@code \r} and {@code \t} become {@code \\n},
   * {@code \\r} and {@code \\t}; a backslash is doubled (so an escape in the log is never ambiguous);
   * every other control, format or line/paragraph-separator character, and a lone surrogate, becomes
   * {@code \\uXXXX}. Printable text (non-ASCII letters included) is kept. Text longer than {@link #MAX}
   * is cut and ends with {@code "..."}. Returns {@code "null"} for null and the same string when nothing
   * needs escaping.
   */
  public static String escape(String text) {
    if (text == null) {
      return "null";
    }
    if (text.length() > MAX) {
      return escape(text.substring(0, MAX)) + "...";
    }
    int i = 0;
    int n = text.length();
    while (i < n && !needsEscape(text, i)) {
      i++;
    }
    if (i == n) {
      return text;
    }
    StringBuilder sb = new StringBuilder(n + 16).append(text, 0, i);
    for (; i < n; i++) {
      char c = text.charAt(i);
      if (!needsEscape(text, i)) {
        sb.append(c);
        continue;
      }
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\\' -> sb.append("\\\\");
        default -> sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
      }
    }
    return sb.toString();
  }

  private static boolean needsEscape(String text, int i) {
    char c = text.charAt(i);
    if (c >= 0x20 && c < 0x7f) {
      return c == '\\';
    }
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.UNASSIGNED, Character.PRIVATE_USE -> true;
      default -> false;
    };
  }
}
