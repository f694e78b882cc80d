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
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real {@code redis-server} for tests: on a loopback port, without persistence, in a temporary directory
 * deleted on {@link #close()}. {@link ChannelsLiveServer} starts one per run for Redis-layer tests; tests
 * that need their own (to restart it, or to run several) start one here.
 */
public final class RedisServerProcess implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RedisServerProcess.class);
  private static final long READY_TIMEOUT_SECONDS = 10;
  private static final int ATTEMPTS = 5;
  private static final Duration PORT_RETRY = Duration.ofSeconds(10);

  private final Process process;
  private final Path dir;
  private final int port;

  private RedisServerProcess(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /** {@return true if {@code redis-server --version} runs and exits 0 within 10 s} */
  public static boolean installed() {
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

  /**
   * Starts one on a free port (another one if that port is taken meanwhile).
   *
   * @return the running server; {@link #close()} it when done
   * @throws IllegalStateException if it does not start, with what it printed
   */
  public static RedisServerProcess start() {
    for (int attempt = 1; attempt < ATTEMPTS; attempt++) {
      RedisServerProcess p = launch(freePort());
      if (p != null) {
        return p;
      }
    }
    RedisServerProcess last = launch(freePort());
    if (last == null) {
      throw new IllegalStateException("redis-server found no free port in " + ATTEMPTS + " attempts");
    }
    return last;
  }

  /**
   * Starts an empty one on {@code port}, e.g. again after {@link #close()} to test a restart, retrying for
   * up to 10 s while the port is still held.
   *
   * @param port the port to listen on
   * @return the running server; {@link #close()} it when done
   */
  public static RedisServerProcess startOn(int port) {
    long deadline = System.nanoTime() + PORT_RETRY.toNanos();
    while (true) {
      RedisServerProcess p = launch(port);
      if (p != null) {
        return p;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("port " + port + " still in use after " + PORT_RETRY);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  /** Launches on {@code port}; null if the port is in use. */
  private static RedisServerProcess launch(int port) {
    Path dir;
    Process p;
    try {
      dir = Files.createTempDirectory("channels-test-redis-" + port + "-");
      p = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
              "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString()))
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start redis-server", e);
    }
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> watch(p, ready), "channels-test-redis-" + port);
    reader.setDaemon(true);
    reader.start();
    String output;
    try {
      output = ready.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      output = "not ready within " + READY_TIMEOUT_SECONDS + " s";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      output = "interrupted while starting";
    }
    if (output.isEmpty()) {
      LOG.info("redis-server for tests listening on 127.0.0.1:{}", port);
      return new RedisServerProcess(p, dir, port);
    }
    p.destroyForcibly();
    delete(dir);
    if (output.contains("Address already in use")) {
      return null;
    }
    throw new IllegalStateException("redis-server on port " + port + " did not start:\n" + output);
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

  /** {@return the port it listens on} */
  public int port() {
    return port;
  }

  /** {@return its URI, {@code redis://127.0.0.1:PORT/0}} */
  public String uri() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  /** Kills it and deletes its directory. */
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
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      LOG.debug("could not delete {}", dir, e);
    }
  }
}
