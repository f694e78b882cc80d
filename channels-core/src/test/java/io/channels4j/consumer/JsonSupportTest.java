package io.channels4j.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** JsonSupport.encode: what it writes, and when it gives the last text again instead of encoding. */
class JsonSupportTest {

  private static String jackson(Object content) throws Exception {
    return JsonSupport.MAPPER.writeValueAsString(content);
  }

  @Test
  void theSameValuesUnderTheSameKeysGetTheSameTextWithoutEncodingAgain() throws Exception {
    String text = new String("h\u00e9llo \"world\"");
    String first = JsonSupport.encode(Collections.singletonMap("message", text));
    String second = JsonSupport.encode(Map.of("message", text));
    assertThat(first).isEqualTo(jackson(Map.of("message", text))).isEqualTo("{\"message\":\"h\u00e9llo \\\"world\\\"\"}");
    assertThat(second).isSameAs(first);
  }

  @Test
  void aMessageEncodedOnAnotherThreadIsNotEncodedAgain() throws Exception {
    String text = new String("shared");
    CompletableFuture<String> other =
        CompletableFuture.supplyAsync(() -> JsonSupport.encode(Map.of("message", text)));
    String there = other.get(10, TimeUnit.SECONDS);
    assertThat(JsonSupport.encode(Map.of("message", text))).isSameAs(there);
  }

  @Test
  void anEqualButDistinctValueIsEncodedAgain() {
    String first = JsonSupport.encode(Map.of("message", new String("a")));
    String second = JsonSupport.encode(Map.of("message", new String("a")));
    assertThat(second).isEqualTo(first).isNotSameAs(first);
  }

  @Test
  void aChangedMapGetsItsNewText() throws Exception {
    Map<String, Object> m = new HashMap<>();
    m.put("message", "a");
    assertThat(JsonSupport.encode(m)).isEqualTo("{\"message\":\"a\"}");
    m.put("message", "b");
    assertThat(JsonSupport.encode(m)).isEqualTo("{\"message\":\"b\"}");
    m.put("user", null);
    assertThat(JsonSupport.encode(m)).isEqualTo(jackson(m));
    m.remove("user");
    assertThat(JsonSupport.encode(m)).isEqualTo("{\"message\":\"b\"}");
  }

  @Test
  void keysInAnotherOrderGetTheirOwnText() {
    Long n = 7L;
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", n);
    ab.put("b", Boolean.TRUE);
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", Boolean.TRUE);
    ba.put("a", n);
    assertThat(JsonSupport.encode(ab)).isEqualTo("{\"a\":7,\"b\":true}");
    assertThat(JsonSupport.encode(ba)).isEqualTo("{\"b\":true,\"a\":7}");
  }

  @Test
  void mutableValuesAndLargeMapsAreNeverRemembered() throws Exception {
    List<Object> list = new ArrayList<>(List.of(1));
    Map<String, Object> m = Map.of("list", list);
    assertThat(JsonSupport.encode(m)).isEqualTo("{\"list\":[1]}");
    list.add(2);
    assertThat(JsonSupport.encode(m)).isEqualTo("{\"list\":[1,2]}");
    Map<String, Object> big = new LinkedHashMap<>();
    for (int i = 0; i < 6; i++) {
      big.put("k" + i, "v");
    }
    String first = JsonSupport.encode(big);
    assertThat(first).isEqualTo(jackson(big));
    assertThat(JsonSupport.encode(big)).isNotSameAs(first);
  }

  @Test
  void otherContentIsEncodedAsJacksonDoes() throws Exception {
    assertThat(JsonSupport.encode(List.of("a", 1))).isEqualTo("[\"a\",1]");
    assertThat(JsonSupport.encode("x")).isEqualTo("\"x\"");
    String huge = "y".repeat(JsonSupport.Encoded.MAX_TEXT + 1);
    String first = JsonSupport.encode(Map.of("m", huge));
    assertThat(first).isEqualTo(jackson(Map.of("m", huge)));
    assertThat(JsonSupport.encode(Map.of("m", huge))).isNotSameAs(first);
  }
}
