package io.channels4j;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Captures what the SLF4J simple logger writes (to {@code System.err}) while an action runs. */
public final class LogLines {

  private LogLines() {}

  /** Runs {@code action} and returns the log lines written meanwhile (also passed on to the real stderr). */
  public static synchronized List<String> during(Runnable action) {
    PrintStream original = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      action.run();
    } finally {
      System.setErr(original);
    }
    String text = bytes.toString(StandardCharsets.UTF_8);
    original.print(text);
    return text.lines().toList();
  }
}
