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
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    System.out.println("ns per delivery: thread = CPU of the sending/receiving thread; process = CPU of all threads"
        + " (GC included); wall = elapsed");
    System.out.println("members    drain: thread  process     wall     waiting receivers: thread  process     wall");
    for (int members : new int[] {10, 100, 1_000, 10_000}) {
      double[] drain = new double[5];
      double[] waiting = new double[5];
      double[] drainProcess = new double[5];
      double[] waitingProcess = new double[5];
      double[] drainWall = new double[5];
      double[] waitingWall = new double[5];
      InMemoryChannelLayer layer = InMemoryChannelLayer.builder().capacity(1000).build();
      String[] channels = new String[members];
      for (int i = 0; i < members; i++) {
        channels[i] = layer.newChannel().toCompletableFuture().join();
        layer.groupAdd("room", channels[i]).toCompletableFuture().join();
      }
      long ops = DELIVERIES_PER_ROUND / members;
      for (int round = 0; round < 8; round++) {
        long w0 = System.nanoTime();
        long p0 = os.getProcessCpuTime();
        long t0 = mx.getCurrentThreadCpuTime();
        for (long o = 0; o < ops; o++) {
          layer.groupSend("room", MESSAGE);
          for (String c : channels) {
            sink += layer.receive(c).toCompletableFuture().getNow(null).size();
          }
        }
        long t1 = mx.getCurrentThreadCpuTime();
        long p1 = os.getProcessCpuTime();
        long w1 = System.nanoTime();
        @SuppressWarnings({"unchecked", "rawtypes"})
        CompletableFuture<Message>[] pending = new CompletableFuture[members];
        for (int i = 0; i < members; i++) {
          pending[i] = layer.receive(channels[i]).toCompletableFuture();
        }
        long w2 = System.nanoTime();
        long p2 = os.getProcessCpuTime();
        long t2 = mx.getCurrentThreadCpuTime();
        for (long o = 0; o < ops; o++) {
          layer.groupSend("room", MESSAGE);
          for (int i = 0; i < members; i++) {
            sink += pending[i].getNow(null).size();
            pending[i] = layer.receive(channels[i]).toCompletableFuture();
          }
        }
        long t3 = mx.getCurrentThreadCpuTime();
        long p3 = os.getProcessCpuTime();
        long w3 = System.nanoTime();
        for (CompletableFuture<Message> p : pending) {
          p.cancel(false);
        }
        if (round >= 3) {
          double deliveries = ops * (double) members;
          drain[round - 3] = (t1 - t0) / deliveries;
          waiting[round - 3] = (t3 - t2) / deliveries;
          drainProcess[round - 3] = (p1 - p0) / deliveries;
          waitingProcess[round - 3] = (p3 - p2) / deliveries;
          drainWall[round - 3] = (w1 - w0) / deliveries;
          waitingWall[round - 3] = (w3 - w2) / deliveries;
        }
      }
      layer.close();
      System.out.println(String.format(Locale.ROOT, "%7d    %13.1f  %7.1f  %7.1f     %25.1f  %7.1f  %7.1f",
          members, median(drain), median(drainProcess), median(drainWall),
          median(waiting), median(waitingProcess), median(waitingWall)));
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
