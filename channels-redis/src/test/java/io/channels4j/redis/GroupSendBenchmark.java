package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * groupSend to a 100-member group spread over two layer instances (two "processes", 50 members each),
 * messages sent one after another; deliveries/s and latency percentiles, then channels_redis doing the
 * same through the same Redis. Not part of the normal test run (the class name is not a test name);
 * run it with:
 *
 * <pre>
 * BENCHMARK=1 mvn -q -pl channels-redis -am test -Dtest=GroupSendBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class GroupSendBenchmark {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(1);

  static final int MEMBERS_PER_PROCESS = 50;
  static final int SENDS = Integer.getInteger("bench.sends", 2000);
  static final int WARMUP = 1500;

  @Test
  void groupSendJavaVersusChannelsRedis() throws Exception {
    Assumptions.assumeTrue(System.getenv("BENCHMARK") != null, "set BENCHMARK=1 to run the benchmark");
    String uri = REDIS.server(0).uri();
    System.out.println("== GroupSendBenchmark: " + SENDS + " sequential groupSends to 100 members in 2 processes ==");
    run(uri, WARMUP, "java warm-up");
    String java = run(uri, SENDS, "java");
    String python = python(uri);
    System.out.println(java);
    System.out.println(python);
  }

  private static String run(String uri, int sends, String label) throws Exception {
    RedisChannelLayer a = RedisChannelLayer.builder().host(uri).capacity(1000).build();
    RedisChannelLayer b = RedisChannelLayer.builder().host(uri).capacity(1000).build();
    RedisChannelLayer sender = RedisChannelLayer.builder().host(uri).capacity(1000).build();
    try {
      String group = "bench-" + label.replace(' ', '-');
      long[] latencies = new long[sends * 2 * MEMBERS_PER_PROCESS];
      AtomicInteger recorded = new AtomicInteger();
      CompletableFuture<Void> allDone = new CompletableFuture<>();
      AtomicInteger channelsDone = new AtomicInteger();
      List<String> channels = new ArrayList<>();
      for (RedisChannelLayer l : List.of(a, b)) {
        for (int i = 0; i < MEMBERS_PER_PROCESS; i++) {
          String ch = l.sync().newChannel();
          l.sync().groupAdd(group, ch);
          channels.add(ch);
          new Object() {
            int left = sends;

            void next() {
              l.receive(ch).thenAccept(m -> {
                long lat = System.nanoTime() - m.getLong("t", 0);
                latencies[recorded.getAndIncrement()] = lat;
                if (--left == 0) {
                  if (channelsDone.incrementAndGet() == 2 * MEMBERS_PER_PROCESS) {
                    allDone.complete(null);
                  }
                } else {
                  next();
                }
              });
            }
          }.next();
        }
      }
      long start = System.nanoTime();
      for (int i = 0; i < sends; i++) {
        sender.groupSend(group, Message.of("bench.message", "i", i, "t", System.nanoTime(), "text", "x".repeat(100)))
            .toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
      long sent = System.nanoTime() - start;
      allDone.get(60, TimeUnit.SECONDS);
      long elapsed = System.nanoTime() - start;
      int n = recorded.get();
      assertThat(n).isEqualTo(sends * 2 * MEMBERS_PER_PROCESS);
      long[] l = Arrays.copyOf(latencies, n);
      Arrays.sort(l);
      return String.format("%-8s: %d deliveries in %.2f s = %,.0f deliveries/s (groupSend %.3f ms each);"
              + " latency p50 %.2f ms, p99 %.2f ms", label, n, elapsed / 1e9, n / (elapsed / 1e9),
          sent / 1e6 / sends, l[n / 2] / 1e6, l[(int) (n * 0.99)] / 1e6);
    } finally {
      a.close();
      b.close();
      sender.close();
    }
  }

  private static String python(String uri) throws Exception {
    try {
      PythonPeer.requirePython();
    } catch (org.opentest4j.TestAbortedException e) {
      return "python  : skipped (" + e.getMessage() + ")";
    }
    String group = "bench-python";
    try (PythonPeer r1 = PythonPeer.start("bench.py", "receivers", uri, group, "" + MEMBERS_PER_PROCESS, "" + SENDS);
         PythonPeer r2 = PythonPeer.start("bench.py", "receivers", uri, group, "" + MEMBERS_PER_PROCESS, "" + SENDS)) {
      r1.expectLine("READY", 60);
      r2.expectLine("READY", 60);
      String sent;
      try (PythonPeer s = PythonPeer.start("bench.py", "sender", uri, group, "" + SENDS)) {
        sent = s.expectLine("SENT", 300);
      }
      String l1 = r1.expectLine("LAT", 300);
      String l2 = r2.expectLine("LAT", 300);
      String[] p1 = l1.split(" ");
      String[] p2 = l2.split(" ");
      int n = Integer.parseInt(p1[3]) + Integer.parseInt(p2[3]);
      double sendSeconds = Double.parseDouble(sent.split(" ")[1]);
      double first = Double.parseDouble(sent.split(" ")[2]);
      double last = Math.max(Double.parseDouble(p1[4]), Double.parseDouble(p2[4]));
      return String.format("%-8s: %d of %d deliveries (%d lost) in %.2f s = %,.0f deliveries/s"
              + " (group_send %.3f ms each); latency p50 %s/%s ms, p99 %s/%s ms (per receiving process)",
          "python", n, SENDS * 2 * MEMBERS_PER_PROCESS, SENDS * 2 * MEMBERS_PER_PROCESS - n, last - first,
          n / (last - first), sendSeconds * 1000 / SENDS, p1[1], p2[1], p1[2], p2[2]);
    }
  }
}
