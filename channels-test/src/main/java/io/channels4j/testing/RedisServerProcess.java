package io.channels4j.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code redis-server} on a free loopback port, with no persistence, in a temporary directory; one per test
 * run, stopped when the run ends.
 */
final class RedisServerProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);
  private static final long READY_TIMEOUT_SECONDS = 10;
  private static final int ATTEMPTS = 5;

  private final Process process;
  private final Path dir;
  private final int port;

  private RedisServerProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** True if {@code redis-server --version} runs. */
  static boolean installed() {
    try {
      Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Starts one on a free port, trying another port when the chosen one was taken meanwhile. */
  static RedisServerProcess start() {
    String output = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      int port = freePort();
      Path dir;
      Process p;
      try {
        dir = Files.createTempDirectory("channels-test-redis-");
        p = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
            .redirectErrorStream(true)
            .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start redis-server", e);
      }
      CompletableFuture<String> ready = new CompletableFuture<>();
      Thread reader = new Thread(() -> watch(p, ready), "channels-test-redis-" + port);
      reader.setDaemon(true);
      reader.start();
      try {
        output = ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (output.isEmpty()) {
          LOG.info("redis-server for tests listening on 127.0.0.1:{}", port);
          return new RedisServerProcess(p, dir, port);
        }
      } catch (TimeoutException | ExecutionException e) {
        output = "not ready within " + READY_TIMEOUT_SECONDS + " s";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
        throw new IllegalStateException("interrupted while starting redis-server", e);
      }
      p.destroyForcibly();
    }
    throw new IllegalStateException("redis-server did not start in " + ATTEMPTS + " attempts; last output:\n" + output);
  }

  /** Completes {@code ready} with "" once the server accepts connections, or with its output if it exits. */
  private static void watch(Process p, CompletableFuture<String> ready) {
    StringBuilder seen = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.contains("Ready to accept connections")) {
          ready.complete("");
        } else if (!ready.isDone() && seen.length() < 10_000) {
          seen.append(line).append('\n');
        }
      }
    } catch (IOException e) {
      // the process is gone; say what it printed
    }
    ready.complete(seen.length() == 0 ? "redis-server exited" : seen.toString());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      LOG.debug("could not delete {}", dir, e);
    }
  }
}
