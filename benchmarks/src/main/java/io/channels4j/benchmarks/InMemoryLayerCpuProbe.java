package io.channels4j.benchmarks;

import io.channels4j.Message;
import io.channels4j.layers.InMemoryChannelLayer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The cost of one group delivery in thread CPU time rather than wall time: a companion to {@link
 * InMemoryLayerBenchmark} for busy, shared machines, where wall-clock throughput swings with the load
 * of other processes but CPU time per delivery does not (much). Same two shapes as the benchmark
 * (group send then drain; group send to waiting receivers), 10 to 10,000 members, median of 5 rounds
 * after 3 warm-up rounds.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.channels4j.benchmarks.InMemoryLayerCpuProbe
 * </pre>
 */
public final class InMemoryLayerCpuProbe {

  private static final Message MESSAGE = Message.of("chat.message", "message", "hello");
  private static final long DELIVERIES_PER_ROUND = 10_000_000L;
  private static long sink;

  private InMemoryLayerCpuProbe() {}

  /** Runs the probe and prints one line per group size. */
  public static void main(String[] args) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    System.out.println("members  drain ns/delivery (M/s of CPU)   waiting receivers ns/delivery (M/s of CPU)");
    for (int members : new int[] {10, 100, 1_000, 10_000}) {
      double[] drain = new double[5];
      double[] waiting = new double[5];
      InMemoryChannelLayer layer = InMemoryChannelLayer.builder().capacity(1000).build();
      String[] channels = new String[members];
      for (int i = 0; i < members; i++) {
        channels[i] = layer.newChannel().toCompletableFuture().join();
        layer.groupAdd("room", channels[i]).toCompletableFuture().join();
      }
      long ops = DELIVERIES_PER_ROUND / members;
      for (int round = 0; round < 8; round++) {
        long t0 = mx.getCurrentThreadCpuTime();
        for (long o = 0; o < ops; o++) {
          layer.groupSend("room", MESSAGE);
          for (String c : channels) {
            sink += layer.receive(c).toCompletableFuture().getNow(null).size();
          }
        }
        long t1 = mx.getCurrentThreadCpuTime();
        @SuppressWarnings({"unchecked", "rawtypes"})
        CompletableFuture<Message>[] pending = new CompletableFuture[members];
        for (int i = 0; i < members; i++) {
          pending[i] = layer.receive(channels[i]).toCompletableFuture();
        }
        long t2 = mx.getCurrentThreadCpuTime();
        for (long o = 0; o < ops; o++) {
          layer.groupSend("room", MESSAGE);
          for (int i = 0; i < members; i++) {
            sink += pending[i].getNow(null).size();
            pending[i] = layer.receive(channels[i]).toCompletableFuture();
          }
        }
        long t3 = mx.getCurrentThreadCpuTime();
        for (CompletableFuture<Message> p : pending) {
          p.cancel(false);
        }
        if (round >= 3) {
          double deliveries = ops * (double) members;
          drain[round - 3] = (t1 - t0) / deliveries;
          waiting[round - 3] = (t3 - t2) / deliveries;
        }
      }
      layer.close();
      double d = median(drain);
      double w = median(waiting);
      System.out.println(String.format(Locale.ROOT, "%7d  %6.1f ns (%5.1f M/s)                 %6.1f ns (%5.1f M/s)",
          members, d, 1e3 / d, w, 1e3 / w));
    }
    if (sink == 42) {
      System.out.println();
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    return v[v.length / 2];
  }
}
