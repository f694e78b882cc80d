package io.channels4j.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncJsonWebsocketConsumer;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-member work after a group message reaches a room of JSON consumers, as the tutorial chat's
 * {@code chatMessage} does it: {@code sendJson(Map.of("message", event.get("message")))}, which encodes
 * the reply and wraps it in a {@code websocket.send} message. One operation is one group message
 * (a fresh text, as a new chat line is) delivered to {@code members} consumers; time per operation
 * divided by {@code members} is the cost per delivery.
 *
 * <ul>
 *   <li>{@code sendJson}: what a consumer does today ({@code AsyncJsonWebsocketConsumer.encodeJson},
 *       which gives members of one group message the text already encoded for the first).
 *   <li>{@code encodePerMember}: Jackson once per member, as before; the baseline.
 * </ul>
 *
 * <pre>
 * mvn -q -Pbenchmarks -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar GroupReply -f 1 -wi 3 -i 5
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class GroupReplyBenchmark {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Members of the room. */
  @Param({"10", "100"})
  public int members;

  private final Member member = new Member();
  private long n;

  /** Creates the benchmark (JMH does). */
  public GroupReplyBenchmark() {}

  /** A JSON consumer, only for its encoder (never connected). */
  static final class Member extends AsyncJsonWebsocketConsumer {
    String encode(Object content) {
      return encodeJson(content);
    }
  }

  private Message nextGroupMessage() {
    return Message.of("chat.message", "message", "hello number " + n++);
  }

  /**
   * One group message to every member, encoded as the consumers do.
   *
   * @param bh the blackhole
   */
  @Benchmark
  public void sendJson(Blackhole bh) {
    Message event = nextGroupMessage();
    for (int i = 0; i < members; i++) {
      String text = member.encode(Map.of("message", event.get("message")));
      bh.consume(Message.of("websocket.send", "text", text));
    }
  }

  /**
   * One group message to every member, Jackson once per member (the cost before sharing).
   *
   * @param bh the blackhole
   * @throws Exception never
   */
  @Benchmark
  public void encodePerMember(Blackhole bh) throws Exception {
    Message event = nextGroupMessage();
    for (int i = 0; i < members; i++) {
      String text = MAPPER.writeValueAsString(Map.of("message", event.get("message")));
      bh.consume(Message.of("websocket.send", "text", text));
    }
  }
}
