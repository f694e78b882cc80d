package io.channels4j.undertow;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Captures what slf4j-simple (the tests' SLF4J binding) writes: it prints each event with one write
 * to {@code System.err}, looked up per event, so a tee on {@code System.err} sees every log line.
 * Test classes run one at a time in the surefire JVM, so swapping {@code System.err} is safe.
 */
final class LogCapture implements AutoCloseable {

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final List<String> lines = new ArrayList<>();

  private LogCapture() {}

  static LogCapture start() {
    LogCapture c = new LogCapture();
    System.setErr(new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        c.original.write(b);
        c.add(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        c.original.write(b, off, len);
        c.add(b, off, len);
      }
    }, true, StandardCharsets.UTF_8));
    return c;
  }

  private synchronized void add(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n') {
        lines.add(partial.toString(StandardCharsets.UTF_8));
        partial.reset();
        notifyAll();
      } else {
        partial.write(b[i]);
      }
    }
  }

  /** Every complete line captured so far. */
  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /** The lines matching {@code p}. */
  synchronized List<String> lines(Predicate<String> p) {
    return lines.stream().filter(p).toList();
  }

  /** Waits until {@code count} captured lines match {@code p}; fails loudly after {@code timeout}. */
  synchronized List<String> await(Predicate<String> p, int count, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (lines(p).size() < count) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException("expected " + count + " matching log line(s) within " + timeout + "; captured: "
            + String.join("\n", lines));
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return lines(p);
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}
