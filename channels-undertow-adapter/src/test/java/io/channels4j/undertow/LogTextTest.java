package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void escapingCoversEveryControlCharacter() {
    assertThat(LogText.escape("a\nb\rc\td\u0000e\u007f\u0085f\u2028g\\h")).isEqualTo(
        "a\\nb\\rc\\td\\x00e\\x7f\\x85f\\u2028g\\\\h");
    assertThat(LogText.escape(null)).isEqualTo("-");
    assertThat(LogText.escape("plain /path?x=1")).isEqualTo("plain /path?x=1");
    assertThat(LogText.escape("x".repeat(LogText.MAX + 5))).hasSize(LogText.MAX + 3).endsWith("...");
  }
}
