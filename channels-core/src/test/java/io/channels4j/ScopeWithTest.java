package io.channels4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Scope#with} shares its parent's values (no copy per middleware) and behaves as a copied map would. */
class ScopeWithTest {

  private static Scope base() {
    return Scope.builder(Scope.WEBSOCKET).path("/ws/a/").rawPath("/ws/a/").set("user", "ada").set("session", "s1").build();
  }

  /** What the old copy-per-with implementation gave: the reference. */
  private static Map<String, Object> copied(Map<String, Object> from, String key, Object value) {
    Map<String, Object> m = new LinkedHashMap<>(from);
    if (value == null) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
    return m;
  }

  @Test
  void addingReplacingAndRemovingKeepTheOrderAndContentsOfACopy() {
    Scope s = base();
    Map<String, Object> expected = new LinkedHashMap<>(s.asMap());
    Object[][] steps = {{"cookies", Map.of()}, {"user", "grace"}, {"session", null}, {"missing", null},
        {"url_route", UrlRoute.EMPTY}, {"session", "s2"}, {"type", Scope.WEBSOCKET}};
    for (Object[] step : steps) {
      s = s.with((String) step[0], step[1]);
      expected = copied(expected, (String) step[0], step[1]);
      assertThat(s.asMap()).isEqualTo(expected).hasSize(expected.size());
      assertThat(List.copyOf(s.asMap().keySet())).isEqualTo(List.copyOf(expected.keySet()));
      assertThat(s.asMap().toString()).isEqualTo(expected.toString());
      assertThat(s.asMap().hashCode()).isEqualTo(expected.hashCode());
    }
    assertThat(s.has("session")).isTrue();
    assertThat(s.get("session")).contains("s2");
    assertThat(s.has("missing")).isFalse();
    assertThat(s.path()).isEqualTo("/ws/a/");
  }

  @Test
  void theParentIsUnchangedAndTheValuesAreUnmodifiable() {
    Scope parent = base();
    Scope child = parent.with("user", "grace").with("extra", 1);
    assertThat(parent.get("user")).contains("ada");
    assertThat(parent.has("extra")).isFalse();
    assertThatThrownBy(() -> child.asMap().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> child.asMap().remove("user")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> child.asMap().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> parent.asMap().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aLongChainOfDerivationsStaysCorrectPastTheDepthWhereItIsFlattened() {
    Scope s = base();
    Map<String, Object> expected = new LinkedHashMap<>(s.asMap());
    for (int i = 0; i < ScopeValues.MAX_DEPTH * 3; i++) {
      String key = "k" + (i % 5);
      Object value = i % 7 == 3 ? null : i;
      s = s.with(key, value);
      expected = copied(expected, key, value);
    }
    assertThat(s.asMap()).isEqualTo(expected);
    assertThat(List.copyOf(s.asMap().entrySet())).isEqualTo(List.copyOf(expected.entrySet()));
  }

  @Test
  void typedKeysAreStillChecked() {
    assertThatThrownBy(() -> base().with("path", 42))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scope key 'path' must be a String");
  }
}
