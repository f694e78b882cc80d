package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayer.HistoryLimits;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Java and Python (channels_redis 4.x, Debian's /usr/bin/python3) share Redis: direct, group and named
 * sends both ways, plain and encrypted, on one host and on two shards.
 */
class RedisInteropTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(2);

  private RedisChannelLayer layer;

  @BeforeAll
  static void python() {
    PythonPeer.requirePython();
  }

  @AfterEach
  void close() {
    if (layer != null) {
      layer.sync().flush();
      layer.close();
    }
  }

  /** The message peer.py's EXPECTED holds. */
  static Message expected() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("a", Arrays.asList(1, 2.5, null, true, Map.of("b", new byte[] {'x'})));
    nested.put("empty", Map.of());
    return Message.builder("interop.message")
        .put("text", "h\u00e9llo \u2713 \u65e5\u672c \uD83D\uDE00")
        .put("bytes", new byte[] {0, 1, (byte) 0xfe, (byte) 0xff})
        .put("nested", nested)
        .put("float", -1.25e300)
        .put("big", BigInteger.ONE.shiftLeft(63).add(BigInteger.valueOf(5)))
        .put("neg", Long.MIN_VALUE)
        .put("list", List.of(1, "two", List.of(3)))
        .put("false", false)
        .build();
  }

  static Stream<Arguments> setups() {
    return Stream.of(
        Arguments.of("one host", 1, "-"),
        Arguments.of("two shards", 2, "-"),
        Arguments.of("one host, encrypted", 1, "secret-2,my-secret-key"));
  }

  private String[] start(int hosts, String keys) {
    RedisChannelLayer.Builder b = RedisChannelLayer.builder();
    List<String> uris = REDIS.uris().subList(0, hosts);
    uris.forEach(b::host);
    if (!keys.equals("-")) {
      b.symmetricEncryptionKeys(keys.split(","));
    }
    layer = b.build();
    return new String[] {String.join(",", uris), keys};
  }

  private Message receive(String channel) throws Exception {
    return layer.receive(channel).toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void pythonGroupSendAndSendReachAJavaChannel(String name, int hosts, String keys) throws Exception {
    String[] cfg = start(hosts, keys);
    String ch = layer.sync().newChannel();
    layer.sync().groupAdd("interop.room", ch);
    try (PythonPeer py = PythonPeer.start("peer.py", "group_send", cfg[0], cfg[1], "interop.room")) {
      py.expectLine("SENT", 30);
      py.awaitSuccess(30);
    }
    assertThat(receive(ch)).isEqualTo(expected());
    // Python's send() picks the shard from the full name (channels_redis bug #1492): found anyway.
    for (int i = 0; i < hosts; i++) {
      String direct = layer.sync().newChannel();
      try (PythonPeer py = PythonPeer.start("peer.py", "send", cfg[0], cfg[1], direct)) {
        py.awaitSuccess(30);
      }
      assertThat(receive(direct)).isEqualTo(expected());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void javaGroupSendReachesAPythonChannel(String name, int hosts, String keys) {
    String[] cfg = start(hosts, keys);
    try (PythonPeer py = PythonPeer.start("peer.py", "receive", cfg[0], cfg[1], "interop.pyroom")) {
      py.expectLine("READY", 30);
      layer.sync().groupSend("interop.pyroom", expected());
      assertThat(py.expectLine("M", 30)).isEqualTo("MATCH");
      py.awaitSuccess(30);
    }
  }

  /** A recorded group send (one script on one host, record then send otherwise) reaches Python with its id. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void javaRecordedGroupSendReachesAPythonChannelWithItsId(String name, int hosts, String keys) throws Exception {
    String[] cfg = start(hosts, keys);
    try (PythonPeer py = PythonPeer.start("peer.py", "receive", cfg[0], cfg[1], "interop.pyhistory", "1")) {
      py.expectLine("READY", 30);
      String id = layer.groupSendRecorded("interop.pyhistory", expected(), HistoryLimits.lastMessages(5))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(id).isEqualTo("1");
      assertThat(py.expectLine("M", 30)).isEqualTo("MATCH");
      py.awaitSuccess(30);
    }
    assertThat(layer.groupHistory("interop.pyhistory", "0", 5).toCompletableFuture().get(20, TimeUnit.SECONDS).entries())
        .singleElement().satisfies(e -> assertThat(e.message()).isEqualTo(expected().with(ChannelLayer.HISTORY_ID, "1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void javaSendReachesAPythonChannel(String name, int hosts, String keys) {
    String[] cfg = start(hosts, keys);
    try (PythonPeer py = PythonPeer.start("peer.py", "receive", cfg[0], cfg[1])) {
      String channel = py.expectLine("READY", 30).substring("READY ".length());
      layer.sync().send(channel, expected());
      assertThat(py.expectLine("M", 30)).isEqualTo("MATCH");
      py.awaitSuccess(30);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setups")
  void namedChannelsWorkBothWays(String name, int hosts, String keys) throws Exception {
    String[] cfg = start(hosts, keys);
    try (PythonPeer py = PythonPeer.start("peer.py", "send", cfg[0], cfg[1], "interop.to-java")) {
      py.awaitSuccess(30);
    }
    assertThat(receive("interop.to-java")).isEqualTo(expected());
    if (hosts > 1) {
      // channels_redis picks one shard per receive() call of a normal channel and blocks on it alone,
      // while its senders round-robin: with several hosts Python receivers of normal channels only see
      // what lands on that shard, whoever sends. Only the Python-to-Java direction is reliable there.
      return;
    }
    try (PythonPeer py = PythonPeer.start("peer.py", "receive_named", cfg[0], cfg[1], "interop.to-python")) {
      py.expectLine("READY", 30);
      layer.sync().send("interop.to-python", expected());
      assertThat(py.expectLine("M", 30)).isEqualTo("MATCH");
      py.awaitSuccess(30);
    }
  }
}
