package io.channels4j.benchmarks;

import io.channels4j.Message;
import io.channels4j.layers.InMemoryChannelLayer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of {@link InMemoryChannelLayer} on one thread: a send + receive round trip, and a group
 * send to N members followed by every member's receive, reported as deliveries per second (the {@code
 * deliveries} line of each group benchmark; the primary ops/s line counts group sends).
 *
 * <ul>
 *   <li>{@code roundTrip}: {@code send} then {@code receive} on one channel (the channel is forgotten when
 *       empty and made again: the worst case of the no-leak rule).
 *   <li>{@code groupSendThenDrain}: {@code groupSend} to N members, then {@code receive} on each member
 *       (messages wait in the queues; the same shape as Channels' {@code python_inmemory_layer.py}).
 *   <li>{@code groupSendToWaitingReceivers}: every member has a pending {@code receive} (as a connected
 *       consumer does); {@code groupSend} completes them, then each member receives again.
 * </ul>
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -q -Pbenchmarks -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar InMemoryLayer -f 1 -wi 3 -i 5
 * </pre>
 *
 * The Python baseline is {@code /usr/bin/python3 benchmarks/python/python_inmemory_layer.py}; results
 * are in {@code benchmarks/README.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InMemoryLayerBenchmark {

  private static final Message MESSAGE = Message.of("chat.message", "message", "hello");

  /** Creates the benchmark (JMH does). */
  public InMemoryLayerBenchmark() {}

  /** One layer and one channel. */
  @State(Scope.Thread)
  public static class Single {
    InMemoryChannelLayer layer;
    String channel;

    /** Creates the state (JMH does). */
    public Single() {}

    /** Makes the layer. */
    @Setup(Level.Trial)
    public void setUp() {
      layer = InMemoryChannelLayer.create();
      channel = layer.newChannel().toCompletableFuture().join();
    }

    /** Closes the layer. */
    @TearDown(Level.Trial)
    public void tearDown() {
      layer.close();
    }
  }

  /** One layer and a group of {@code members} channels. */
  @State(Scope.Thread)
  public static class Room {
    /** Number of members of the group. */
    @Param({"10", "100", "1000", "10000"})
    public int members;

    InMemoryChannelLayer layer;
    String[] channels;
    CompletableFuture<Message>[] pending;

    /** Creates the state (JMH does). */
    public Room() {}

    /** Makes the layer and the group. */
    @Setup(Level.Trial)
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void setUp() {
      layer = InMemoryChannelLayer.builder().capacity(1000).build();
      channels = new String[members];
      pending = new CompletableFuture[members];
      for (int i = 0; i < members; i++) {
        channels[i] = layer.newChannel().toCompletableFuture().join();
        layer.groupAdd("room", channels[i]).toCompletableFuture().join();
      }
    }

    /** Closes the layer. */
    @TearDown(Level.Trial)
    public void tearDown() {
      layer.close();
    }
  }

  /** Counts deliveries; JMH reports them per second next to the benchmark's own ops/s. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Deliveries {
    /** Messages delivered to members (group sends x members). */
    public long deliveries;

    /** Creates the counter (JMH does). */
    public Deliveries() {}

    /** Resets the counter before each iteration. */
    @Setup(Level.Iteration)
    public void reset() {
      deliveries = 0;
    }
  }

  /** send then receive on one channel. */
  @Benchmark
  public Message roundTrip(Single s) {
    s.layer.send(s.channel, MESSAGE);
    return s.layer.receive(s.channel).toCompletableFuture().getNow(null);
  }

  /** groupSend to every member, then one receive per member. */
  @Benchmark
  public void groupSendThenDrain(Room r, Deliveries d, Blackhole bh) {
    r.layer.groupSend("room", MESSAGE);
    for (String c : r.channels) {
      bh.consume(r.layer.receive(c).toCompletableFuture().getNow(null));
    }
    d.deliveries += r.channels.length;
  }

  /** groupSend completing each member's pending receive; each member then receives again. */
  @Benchmark
  public void groupSendToWaitingReceivers(Room r, Deliveries d, Blackhole bh) {
    CompletableFuture<Message>[] pending = r.pending;
    String[] channels = r.channels;
    if (pending[0] == null) {
      for (int i = 0; i < channels.length; i++) {
        pending[i] = r.layer.receive(channels[i]).toCompletableFuture();
      }
    }
    r.layer.groupSend("room", MESSAGE);
    for (int i = 0; i < channels.length; i++) {
      bh.consume(pending[i].getNow(null));
      pending[i] = r.layer.receive(channels[i]).toCompletableFuture();
    }
    d.deliveries += channels.length;
  }
}
