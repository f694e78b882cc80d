package io.channels4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Two live-server classes run by JUnit in parallel: they provably overlap (they meet at a barrier), each
 * one's sockets see only its own layer's messages, and the tests inside one class never overlap.
 */
class ParallelLiveServerTest {

  /** Both classes' first tests wait here for each other: passes only if they run at the same time. */
  static final CyclicBarrier MEET = new CyclicBarrier(2);

  /** The tests of each class running now (JUnit makes an instance per test, so this is kept per class). */
  static final Map<Class<?>, AtomicInteger> RUNNING = new ConcurrentHashMap<>();

  /** What both classes run: the same group name on two servers, each on its own layer. */
  abstract static class Room {

    AtomicInteger running() {
      return RUNNING.computeIfAbsent(getClass(), c -> new AtomicInteger());
    }

    @Test
    void talk(LiveServer server, ChannelLayer layer) throws Exception {
      String who = getClass().getSimpleName();
      assertThat(running().incrementAndGet()).as("tests of one class overlapped").isEqualTo(1);
      try (TestSocket socket = new TestSocket(server, "/ws/room/")) {
        MEET.await(10, TimeUnit.SECONDS);
        for (int i = 0; i < 20; i++) {
          layer.groupSend(RoomSetup.GROUP, Message.of("room.say", "text", who + i)).toCompletableFuture().join();
        }
        for (int i = 0; i < 20; i++) {
          assertThat(socket.next()).isEqualTo(who + i);
        }
        assertThat(socket.nothingWithin(Duration.ofMillis(200))).as("another class's message leaked in").isTrue();
      } finally {
        running().decrementAndGet();
      }
    }
  }

  /** The first class, with a second test that must not overlap its first. */
  @ChannelsLiveServer(RoomSetup.class)
  static class RoomA extends Room {
    @Test
    void second(LiveServer server, ChannelLayer layer) {
      assertThat(running().incrementAndGet()).as("tests of one class overlapped").isEqualTo(1);
      running().decrementAndGet();
      assertThat(layer).isSameAs(server.layer());
    }
  }

  /** The second class. */
  @ChannelsLiveServer(RoomSetup.class)
  static class RoomB extends Room {}

  @Test
  void classesRunInParallelWithoutSharingLayers() {
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
        .selectors(selectClass(RoomA.class), selectClass(RoomB.class))
        .configurationParameters(Map.of(
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.mode.default", "concurrent",
            "junit.jupiter.execution.parallel.mode.classes.default", "concurrent",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"))
        .build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, listener);
    TestExecutionSummary summary = listener.getSummary();
    summary.getFailures().forEach(f -> f.getException().printStackTrace());
    assertThat(summary.getTestsFailedCount()).as("failures").isZero();
    assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
  }
}
