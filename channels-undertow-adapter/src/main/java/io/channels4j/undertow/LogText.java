package io.channels4j.undertow;

/**
 * Makes client-supplied text safe for one log line: control characters (C0, DEL, C1) and the Unicode
 * line and paragraph separators become escapes ({@code \n}, {@code \r}, {@code \t}, {@code \\xNN},
 * {@code \\uNNNN}), a backslash becomes {@code \\\\}, and long text is cut. A forged line break in a
 * path or header therefore can never start a new log line.
 */
final class LogText {

  /** Longest client text kept in a log line (longer is cut and marked with an ellipsis). */
  static final int MAX = 2048;

  private LogText() {}

  /** The escaped form of {@code text}; {@code "-"} for null. */
  static String escape(CharSequence text) {
    if (text == null) {
      return "-";
    }
    int n = Math.min(text.length(), MAX);
    StringBuilder out = null;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      String esc = escapeOf(c);
      if (esc != null && out == null) {
        out = new StringBuilder(n + 16).append(text, 0, i);
      }
      if (out != null) {
        if (esc != null) {
          out.append(esc);
        } else {
          out.append(c);
        }
      }
    }
    if (text.length() > MAX) {
      return (out == null ? new StringBuilder(text.subSequence(0, n)) : out).append("...").toString();
    }
    return out == null ? text.toString() : out.toString();
  }

  private static String escapeOf(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      case '\\' -> "\\\\";
      case '\u2028', '\u2029' -> String.format("\\u%04x", (int) c);
      default -> c < 0x20 || (c >= 0x7f && c <= 0x9f) ? String.format("\\x%02x", (int) c) : null;
    };
  }
}
