package io.channels4j.undertow;

/**
 * Escapes text a client sent (a path, a reason) before it reaches a log line, so that it cannot
 * forge lines or hide in terminal control codes: control characters become {@code \n}, {@code \r},
 * {@code \t} or {@code \\uXXXX}, and a backslash is doubled. Long text is cut at 200 characters.
 */
final class ClientText {

  private static final int MAX = 200;

  private ClientText() {}

  static String escape(String s) {
    if (s == null) {
      return "-";
    }
    StringBuilder b = null;
    int n = Math.min(s.length(), MAX);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      String rep = switch (c) {
        case '\n' -> "\\n";
        case '\r' -> "\\r";
        case '\t' -> "\\t";
        case '\\' -> "\\\\";
        default -> c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029'
            ? String.format("\\u%04x", (int) c) : null;
      };
      if (rep != null && b == null) {
        b = new StringBuilder(n + 16).append(s, 0, i);
      }
      if (b != null) {
        if (rep != null) {
          b.append(rep);
        } else {
          b.append(c);
        }
      }
    }
    String out = b == null ? s.substring(0, n) : b.toString();
    return s.length() > MAX ? out + "...(" + s.length() + " chars)" : out;
  }
}
