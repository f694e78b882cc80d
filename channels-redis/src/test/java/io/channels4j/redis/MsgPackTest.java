package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Message;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Byte vectors below were produced by Python msgpack 1.0.3: {@code msgpack.packb(m, use_bin_type=True).hex()}. */
class MsgPackTest {

  private static final HexFormat HEX = HexFormat.of();

  static final String SMALL = "81a474797065a174";

  static final String MIXED = "de0017a474797065ac636861742e6d657373616765a474657874af68c3a96c6c6f20e2988320f09f9880"
      + "a16effa1697fa16acc80a16bccffa16ccd0100a16dcdffffa16fce00010000a170cf0000000100000000a171cf8000000000000005"
      + "a172d0dfa173d1ff7fa174d2ffff7fffa175d3ffffffff7fffffffa176d38000000000000000a166cb3ff8000000000000"
      + "a162c4030001ffa36e696cc0a3796573c3a26e6fc2a46c6973749401a16191c4017881a16ba176a36d617081a16181a16290";

  static final String LONG = "84a474797065d928" + "73".repeat(40) + "a178da012c" + "79".repeat(300)
      + "a26262c5012c" + "7a".repeat(300) + "a3626967dc0014000102030405060708090a0b0c0d0e0f10111213";

  static Map<String, Object> mixed() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "chat.message");
    m.put("text", "h\u00e9llo \u2603 \uD83D\uDE00");
    m.put("n", -1L);
    m.put("i", 127L);
    m.put("j", 128L);
    m.put("k", 255L);
    m.put("l", 256L);
    m.put("m", 65535L);
    m.put("o", 65536L);
    m.put("p", 1L << 32);
    m.put("q", BigInteger.ONE.shiftLeft(63).add(BigInteger.valueOf(5)));
    m.put("r", -33L);
    m.put("s", -129L);
    m.put("t", -32769L);
    m.put("u", (long) Integer.MIN_VALUE - 1);
    m.put("v", Long.MIN_VALUE);
    m.put("f", 1.5);
    m.put("b", new byte[] {0, 1, (byte) 0xff});
    m.put("nil", null);
    m.put("yes", true);
    m.put("no", false);
    m.put("list", List.of(1L, "a", List.of(new byte[] {'x'}), Map.of("k", "v")));
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("b", List.of());
    m.put("map", Map.of("a", inner));
    return m;
  }

  static Map<String, Object> longOne() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "s".repeat(40));
    m.put("x", "y".repeat(300));
    m.put("bb", "z".repeat(300).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    m.put("big", IntStream.range(0, 20).mapToObj(i -> (long) i).collect(Collectors.toList()));
    return m;
  }

  @Test
  void encodesExactlyLikePython() {
    assertThat(HEX.formatHex(MsgPack.encode(Map.of("type", "t"), null, null))).isEqualTo(SMALL);
    assertThat(HEX.formatHex(MsgPack.encode(mixed(), null, null))).isEqualTo(MIXED);
    assertThat(HEX.formatHex(MsgPack.encode(longOne(), null, null))).isEqualTo(LONG);
  }

  @Test
  void encodesAMessageWithAnExtraKeyWithoutCopyingIt() {
    Message m = Message.fromMap(mixed());
    Map<String, Object> without = new LinkedHashMap<>(mixed());
    without.remove("map");
    Message w = Message.fromMap(without);
    assertThat(HEX.formatHex(MsgPack.encode(w.asMap(), "map", mixed().get("map")))).isEqualTo(MIXED);
    assertThat(Message.fromMap(castMap(MsgPack.decode(HEX.parseHex(MIXED))))).isEqualTo(m);
  }

  @Test
  void decodesPythonBytesToTheSameValues() {
    assertThat(Message.fromMap(castMap(MsgPack.decode(HEX.parseHex(MIXED))))).isEqualTo(Message.fromMap(mixed()));
    assertThat(Message.fromMap(castMap(MsgPack.decode(HEX.parseHex(LONG))))).isEqualTo(Message.fromMap(longOne()));
    Object big = castMap(MsgPack.decode(HEX.parseHex(MIXED))).get("q");
    assertThat(big).isEqualTo(new BigInteger("9223372036854775813"));
  }

  @Test
  void roundTripsLargeContainersAndStrings() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", "x");
    for (int i = 0; i < 70_000; i++) {
      m.put("k" + i, (long) i);
    }
    m.put("s", "q".repeat(70_000));
    m.put("b", new byte[70_000]);
    m.put("l", java.util.Collections.nCopies(70_000, 1.25));
    Message msg = Message.fromMap(m);
    assertThat(Message.fromMap(castMap(MsgPack.decode(MsgPack.encode(msg.asMap(), null, null))))).isEqualTo(msg);
  }

  @Test
  void decodesFloat32AndRejectsExtAndBadInput() {
    assertThat(MsgPack.decode(HEX.parseHex("ca3fc00000"))).isEqualTo(1.5);
    assertThatThrownBy(() -> MsgPack.decode(HEX.parseHex("d4ff00"))).hasMessageContaining("0xd4");
    assertThatThrownBy(() -> MsgPack.decode(HEX.parseHex("a5616263"))).hasMessageContaining("exceeds");
    assertThatThrownBy(() -> MsgPack.decode(HEX.parseHex("810101"))).hasMessageContaining("map key must be a string");
    assertThatThrownBy(() -> MsgPack.decode(HEX.parseHex("c0c0"))).hasMessageContaining("trailing");
    assertThatThrownBy(() -> MsgPack.decode(HEX.parseHex("dd7fffffff"))).hasMessageContaining("exceeds");
  }

  /** Python's string headers at every size boundary, incl. multi-byte text whose byte length crosses one. */
  @Test
  void stringHeadersMatchPythonAtEveryBoundary() {
    Object[][] cases = {
        {"x".repeat(31), "bf"}, {"x".repeat(32), "d920"}, {"x".repeat(255), "d9ff"}, {"x".repeat(256), "da0100"},
        {"\u00e9".repeat(200), "da0190"}, {"\u00e9".repeat(300), "da0258"}, {"x".repeat(600), "da0258"},
        {"x".repeat(65535), "daffff"}, {"x".repeat(65536), "db00010000"}, {"\u00e9".repeat(40000), "db00013880"}};
    for (Object[] c : cases) {
      String text = (String) c[0];
      String expected = "81a161" + c[1] + HEX.formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(HEX.formatHex(MsgPack.encode(Map.of("a", text), null, null)))
          .as("%d chars", text.length()).isEqualTo(expected);
    }
  }

  /** Python's smallest integer encodings at every boundary, float64 for every float, bin for byte[]. */
  @Test
  void numbersAndBinMatchPython() {
    List<Object> ints = List.of(-32L, -33L, -128L, -129L, -32768L, -32769L, (1L << 31) - 1, 1L << 31, -(1L << 31),
        -(1L << 31) - 1, Long.MAX_VALUE, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE), 0L, 127L, 128L);
    assertThat(HEX.formatHex(MsgPack.encode(Map.of("a", ints), null, null))).isEqualTo(
        "81a1619fe0d0dfd080d1ff7fd18000d2ffff7fffce7fffffffce80000000d280000000d3ffffffff7fffffffcf7fffffffffffffffcf"
            + "ffffffffffffffff007fcc80");
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", 0.1);
    m.put("b", 1e300);
    m.put("c", new byte[256]);
    assertThat(HEX.formatHex(MsgPack.encode(m, null, null)))
        .isEqualTo("83a161cb3fb999999999999aa162cb7e37e43c8800759ca163c50100" + "00".repeat(256));
    assertThat(HEX.formatHex(MsgPack.encode(Map.of("f", 1.5f), null, null))).isEqualTo("81a166cb3ff8000000000000");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> castMap(Object o) {
    return (Map<String, Object>) o;
  }
}
