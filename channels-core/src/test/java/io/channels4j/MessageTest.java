package io.channels4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Message carries only what every layer (msgpack and JSON) can carry, and is immutable. */
class MessageTest {

  @Test
  void valuesThatCannotBeCarriedAreRejectedNamingTheKeyAndType() {
    for (Object bad : List.of(new Object(), Instant.EPOCH, UUID.randomUUID(), Set.of("a"), Optional.of(1), 'c',
        new StringBuilder("sb"), new int[] {1})) {
      assertThatThrownBy(() -> Message.of("t", "field", bad))
          .as("value %s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'field'")
          .hasMessageContaining(bad.getClass().getName());
    }
  }

  @Test
  void nestedBadValuesAreRejectedWithTheirPath() {
    Map<String, Object> inner = new HashMap<>();
    inner.put("when", Instant.EPOCH);
    assertThatThrownBy(() -> Message.of("t", "outer", List.of(1, inner)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outer[1].when");
  }

  @Test
  void mapKeysMustBeStrings() {
    Map<Object, Object> intKeys = new HashMap<>();
    intKeys.put(1, "one");
    assertThatThrownBy(() -> Message.of("t", "m", intKeys))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'m'")
        .hasMessageContaining("java.lang.Integer");
    assertThatThrownBy(() -> Message.of("t", 7, "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void integersOutsideSixtyFourBitsAreRejected() {
    BigInteger tooBig = BigInteger.ONE.shiftLeft(64);
    assertThatThrownBy(() -> Message.of("t", "n", tooBig))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(tooBig.toString());
    BigInteger tooSmall = BigInteger.valueOf(Long.MIN_VALUE).subtract(BigInteger.ONE);
    assertThatThrownBy(() -> Message.of("t", "n", tooSmall)).isInstanceOf(IllegalArgumentException.class);
    BigInteger max = tooBig.subtract(BigInteger.ONE);
    assertThat(Message.of("t", "n", max).get("n")).isEqualTo(max);
  }

  @Test
  void typeMustBeAString() {
    assertThatThrownBy(() -> Message.fromMap(Map.of("text", "no type"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Message.fromMap(Map.of("type", 3))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Message.builder("t").put("type", 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Message.of("t", "odd")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void numbersAreNormalized() {
    Message m = Message.of("t", "i", 1, "s", (short) 2, "b", (byte) 3, "f", 1.5f, "big", BigInteger.TEN);
    assertThat(m.get("i")).isEqualTo(1L);
    assertThat(m.get("s")).isEqualTo(2L);
    assertThat(m.get("b")).isEqualTo(3L);
    assertThat(m.get("f")).isEqualTo(1.5d);
    assertThat(m.get("big")).isEqualTo(10L);
    assertThat(m).isEqualTo(Message.of("t", "i", 1L, "s", 2L, "b", 3L, "f", 1.5d, "big", 10L));
  }

  @Test
  void aMessageIsImmutableAndDoesNotShareItsInputs() {
    byte[] bytes = {1, 2, 3};
    List<Object> list = new ArrayList<>(List.of("a"));
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("k", "v");
    Message m = Message.of("t", "bytes", bytes, "list", list, "map", map, "buf", ByteBuffer.wrap(new byte[] {9}));
    bytes[0] = 42;
    list.add("b");
    map.put("k2", "v2");
    assertThat(m.getBytes("bytes")).containsExactly(1, 2, 3);
    assertThat(m.getList("list")).containsExactly("a");
    assertThat(m.getMap("map")).containsOnlyKeys("k");
    assertThat(m.getBytes("buf")).containsExactly(9);
    m.getBytes("bytes")[0] = 42;
    assertThat(m.getBytes("bytes")).containsExactly(1, 2, 3);
    assertThatThrownBy(() -> m.getList("list").add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.getMap("map").put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> m.asMap().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void everyCarriableTypeIsAccepted() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("null", null);
    nested.put("list", List.of(List.of(), Map.of("deep", true)));
    Message m = Message.of("t", "s", "ü", "bytes", new byte[0], "l", Long.MAX_VALUE, "d", Double.NaN,
        "bool", false, "nil", null, "array", new Object[] {"x", 1}, "nested", nested);
    assertThat(m.getList("array")).containsExactly("x", 1L);
    assertThat(m.has("nil")).isTrue();
    assertThat(m.get("nil")).isNull();
    assertThat(m.type()).isEqualTo("t");
    assertThat(m).isEqualTo(Message.fromMap(m.asMap())).hasSameHashCodeAs(Message.fromMap(m.asMap()));
  }

  @Test
  void aBuilderUsedAgainAfterBuildLeavesTheBuiltMessagesAlone() {
    Message.Builder b = Message.builder("t").put("a", 1);
    Message first = b.build();
    Message second = b.put("a", 2).put("b", "x").build();
    Message third = b.build();
    assertThat(first.asMap()).containsExactly(Map.entry("type", "t"), Map.entry("a", 1L));
    assertThat(second.asMap()).containsExactly(Map.entry("type", "t"), Map.entry("a", 2L), Map.entry("b", "x"));
    assertThat(third).isEqualTo(second);
    assertThat(Message.of("t", "k", "v").without("k").asMap()).containsExactly(Map.entry("type", "t"));
    Message base = Message.of("t", "k", "v");
    assertThat(base.with("k", "w").getString("k")).isEqualTo("w");
    assertThat(base.getString("k")).isEqualTo("v");
  }
}
