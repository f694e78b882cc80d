package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;

/** Counts what a layer may leak: lettuce threads in this JVM and client connections on a Redis server. */
final class LeakCheck {

  private LeakCheck() {}

  /** The live lettuce threads. */
  static Set<Thread> lettuceThreads() {
    Set<Thread> out = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("lettuce")) {
        out.add(t);
      }
    }
    return out;
  }

  /** The client connections {@code s} reports (this check's own included). */
  static long clients(RedisServer s) {
    return RedisServer.command(s.port(), "CLIENT", "LIST").lines().count();
  }

  /** Every lettuce thread not in {@code before} ends within 5 s (after a layer closed). */
  static void noNewLettuceThreads(Set<Thread> before) throws InterruptedException {
    for (Thread th : lettuceThreads()) {
      if (!before.contains(th)) {
        th.join(5000);
        assertThat(th.isAlive()).as("thread %s still alive after close", th.getName()).isFalse();
      }
    }
  }
}
