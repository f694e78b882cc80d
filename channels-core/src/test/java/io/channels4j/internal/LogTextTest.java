package io.channels4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

  @Test
  void plainTextIsReturnedAsIs() {
    String plain = "/ws/chat/lobby/?x=1 ünïcödé 日本 🎉";
    assertThat(LogText.escape(plain)).isSameAs(plain);
  }

  @Test
  void lineBreaksCannotForgeALogLine() {
    assertThat(LogText.escape("/ws/a\n[main] INFO forged - ok\r\n"))
        .isEqualTo("/ws/a\\n[main] INFO forged - ok\\r\\n")
        .doesNotContain("\n", "\r");
  }

  @Test
  void controlAndInvisibleCharactersBecomeUnicodeEscapes() {
    assertThat(LogText.escape("a\tb\u0000c\u001b[31md\u007f")).isEqualTo("a\\tb\\u0000c\\u001b[31md\\u007f");
    assertThat(LogText.escape("x\u0085y\u2028z\u2029")).isEqualTo("x\\u0085y\\u2028z\\u2029");
    // bidi overrides and zero-width characters can disguise a line; they are shown, not applied
    assertThat(LogText.escape("file\u202egpj.exe\u200b")).isEqualTo("file\\u202egpj.exe\\u200b");
  }

  @Test
  void backslashIsDoubledSoEscapesAreUnambiguous() {
    assertThat(LogText.escape("a\\nb")).isEqualTo("a\\\\nb");
  }

  @Test
  void loneSurrogatesAreEscapedPairsKept() {
    assertThat(LogText.escape("a\ud83cb")).isEqualTo("a\\ud83cb");
    assertThat(LogText.escape("a\udf89b")).isEqualTo("a\\udf89b");
    assertThat(LogText.escape("\ud83c\udf89")).isEqualTo("\ud83c\udf89");
  }

  @Test
  void longTextIsCut() {
    assertThat(LogText.escape("x".repeat(LogText.MAX + 5))).hasSize(LogText.MAX + 3).endsWith("...");
    assertThat(LogText.escape("\n".repeat(LogText.MAX + 1))).hasSize(2 * LogText.MAX + 3);
  }

  @Test
  void nullIsSpelledOut() {
    assertThat(LogText.escape(null)).isEqualTo("null");
  }

  @Test
  void denialsQuoteUsesTheSameEscaping() {
    assertThat(Denials.quote("it's\n")).isEqualTo("'it\\'s\\n'");
    assertThat(Denials.quote(null)).isEqualTo("null");
  }
}
