package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;

/** A test against one real ChannelsServer on an ephemeral port, stopped after each test. */
abstract class LiveServerTest {

  static final Duration WAIT = Duration.ofSeconds(10);

  ChannelsServer server;
  final EchoApp echo = new EchoApp();

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  /** Starts {@code b} on port 0 with a short shutdown; returns the port. */
  int start(ChannelsServer.Builder b) {
    server = b.port(0).shutdownTimeout(Duration.ofSeconds(2)).build().start();
    return server.port();
  }

  /**
   * Trickles {@code text} into {@code c} and asserts the server cuts it with 408 after between {@code
   * min} and {@code max}, then closes the connection.
   */
  static void assertTrickleCutWith408(RawHttp c, String text, Duration min, Duration max) throws Exception {
    long t0 = System.nanoTime();
    CompletableFuture<Void> sender = c.trickle(text);
    RawHttp.Response r = c.read();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(r.status()).isEqualTo(408);
    assertThat(took).isBetween(min, max);
    assertThat(c.closedByServer()).isTrue();
    sender.get(10, TimeUnit.SECONDS);
  }

  /** Polls {@code condition} (a counter, say) until it holds; fails after {@link #WAIT}. */
  static void await(BooleanSupplier condition, String what) {
    Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(10)).until(condition::getAsBoolean);
  }
}
