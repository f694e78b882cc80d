package io.channels4j.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a Python channels_redis peer script from src/test/resources/python with Debian's
 * {@code /usr/bin/python3}, reading its output line by line with timeouts.
 */
final class PythonPeer implements AutoCloseable {

  static final String PYTHON = "/usr/bin/python3";

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final StringBuilder all = new StringBuilder();

  private PythonPeer(Process process) {
    this.process = process;
    Thread t = new Thread(() -> pump(process.getInputStream()), "python-peer-out");
    t.setDaemon(true);
    t.start();
  }

  /** Skips (or, with CI=true, fails) when Python with channels_redis is missing. */
  static void requirePython() {
    boolean ok;
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import channels_redis.core, msgpack, cryptography")
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      ok = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    if (!ok) {
      String msg = "*** " + PYTHON + " with channels_redis/msgpack/cryptography is missing: interop tests CANNOT RUN"
          + " (apt-get install python3-channels-redis python3-cryptography) ***";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(msg + " -- failing because CI=true");
      }
      System.err.println(msg);
      Assumptions.abort(msg);
    }
  }

  /** Starts {@code script} (a resource under /python) with {@code args}. */
  static PythonPeer start(String script, String... args) {
    try {
      Path dir = Files.createTempDirectory("channels4j-py");
      dir.toFile().deleteOnExit();
      for (String name : List.of(script, "expected.py")) {
        Path f = dir.resolve(name);
        try (InputStream in = PythonPeer.class.getResourceAsStream("/python/" + name)) {
          Files.copy(in, f);
        }
        f.toFile().deleteOnExit();
      }
      Path file = dir.resolve(script);
      List<String> cmd = new ArrayList<>(List.of(PYTHON, file.toString()));
      cmd.addAll(List.of(args));
      return new PythonPeer(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void pump(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (all) {
          all.append(line).append('\n');
        }
        lines.add(line);
      }
    } catch (IOException e) {
      // process ended
    }
  }

  /** The next line starting with {@code prefix} (other lines are skipped), within {@code seconds}. */
  String expectLine(String prefix, int seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) {
          throw new AssertionError("the Python peer printed no line starting with '" + prefix + "' within "
              + seconds + " s; its output:\n" + output());
        }
        if (line.startsWith(prefix)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Waits for the process to exit successfully. */
  void awaitSuccess(int seconds) {
    try {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        throw new AssertionError("the Python peer did not exit within " + seconds + " s; output:\n" + output());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new AssertionError("the Python peer exited with " + process.exitValue() + "; output:\n" + output());
    }
  }

  String output() {
    synchronized (all) {
      return all.toString();
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
