package io.channels4j.example.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on a free loopback port for this module's tests (a small cousin of
 * channels-redis's test harness). Without redis-server the calling test is skipped with a loud message,
 * or fails when the environment has {@code CI=true}.
 */
final class RedisProcess implements AutoCloseable {

  private static final long START_TIMEOUT_MS = 10_000;

  private final Process process;
  private final Path dir;
  private final int port;

  private RedisProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server, or skips (fails under CI=true) the calling test when redis-server is missing. */
  static RedisProcess startOrSkip() {
    requireBinary("redis-server", "apt-get install -y redis-server");
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      try {
        RedisProcess p = launch(freePort());
        if (p != null) {
          return p;
        }
      } catch (IllegalStateException e) {
        last = e;
      }
    }
    throw new IllegalStateException("could not start redis-server on a free port in 5 attempts", last);
  }

  /** Starts an empty server on {@code port} again (after {@link #close}), retrying while the port lingers. */
  static RedisProcess startOn(int port) {
    return Awaitility.await("redis-server restarted on port " + port).atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20)).until(() -> launch(port), Objects::nonNull);
  }

  /** Skips (or under CI=true fails) the calling test if {@code binary} cannot be run. */
  static void requireBinary(String binary, String install) {
    if (runs(binary)) {
      return;
    }
    String message = binary + " is not installed, so this test cannot run; install it with: " + install;
    if ("true".equals(System.getenv("CI"))) {
      Assertions.fail(message + " (CI=true: a missing tool is a failure, not a skip)");
    }
    System.err.println("SKIPPED (loudly): " + message);
    Assumptions.abort(message);
  }

  private static boolean runs(String binary) {
    try {
      Process p = new ProcessBuilder(binary, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Launches on {@code port}; null if the port was taken meanwhile. */
  private static RedisProcess launch(int port) {
    Path dir;
    Process p;
    try {
      dir = Files.createTempDirectory("chat-example-redis-" + port + "-");
      p = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
              "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()))
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server", e);
    }
    StringBuilder log = new StringBuilder();
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> pump(p.getInputStream(), log, ready), "redis-server-" + port);
    reader.setDaemon(true);
    reader.start();
    boolean ok;
    try {
      ok = ready.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      p.destroyForcibly();
      throw new IllegalStateException("redis-server on port " + port + " not ready in " + START_TIMEOUT_MS + " ms:\n" + log, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted starting redis-server", e);
    }
    if (!ok) {
      p.destroyForcibly();
      delete(dir);
      synchronized (log) {
        if (log.indexOf("Address already in use") >= 0) {
          return null;
        }
        throw new IllegalStateException("redis-server on port " + port + " failed to start:\n" + log);
      }
    }
    return new RedisProcess(p, dir, port);
  }

  private static void pump(InputStream in, StringBuilder log, CompletableFuture<Boolean> ready) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (log) {
          if (log.length() < 20_000) {
            log.append(line).append('\n');
          }
        }
        if (line.contains("Ready to accept connections")) {
          ready.complete(true);
        }
      }
    } catch (IOException e) {
      // the process went away
    }
    ready.complete(false);
  }

  /** The port. */
  int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT/0}. */
  String uri() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    delete(dir);
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
