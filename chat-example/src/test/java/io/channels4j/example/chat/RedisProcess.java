package io.channels4j.example.chat;

import io.channels4j.testing.RedisServerProcess;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on a free loopback port for this module's tests (channels-test's {@link
 * RedisServerProcess}). Without redis-server the calling test is skipped with a loud message, or fails when
 * the environment has {@code CI=true}.
 */
final class RedisProcess implements AutoCloseable {

  private final RedisServerProcess server;

  private RedisProcess(RedisServerProcess server) {
    this.server = server;
  }

  /** Starts a server, or skips (fails under CI=true) the calling test when redis-server is missing. */
  static RedisProcess startOrSkip() {
    requireBinary("redis-server", "apt-get install -y redis-server");
    return new RedisProcess(RedisServerProcess.start());
  }

  /** Starts an empty server on {@code port} again (after {@link #close}), retrying while the port lingers. */
  static RedisProcess startOn(int port) {
    return new RedisProcess(RedisServerProcess.startOn(port));
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

  /** The port. */
  int port() {
    return server.port();
  }

  /** {@code redis://127.0.0.1:PORT/0}. */
  String uri() {
    return server.uri();
  }

  @Override
  public void close() {
    server.close();
  }
}
