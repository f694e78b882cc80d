package io.channels4j.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Expected values from Python: {@code fnmatch.fnmatchcase(name, glob)} and {@code re.match}. */
class ChannelCapacitiesTest {

  private static int cap(String glob, String name) {
    return new ChannelCapacities().addGlob(glob, 1).of(name, 100);
  }

  @Test
  void globsFollowFnmatch() {
    assertThat(cap("http.response*!*", "http.response.abc!def")).isEqualTo(1);
    assertThat(cap("http.response*!*", "http.request.abc!def")).isEqualTo(100);
    assertThat(cap("a[!b]c", "abc")).isEqualTo(100);
    assertThat(cap("a[!b]c", "axc")).isEqualTo(1);
    assertThat(cap("a[bc]d", "acd")).isEqualTo(1);
    assertThat(cap("x.?", "x.y")).isEqualTo(1);
    assertThat(cap("x.?", "x.yz")).isEqualTo(100);
    assertThat(cap("[", "[")).isEqualTo(1);
    assertThat(cap("a*", "A")).isEqualTo(100);
  }

  @Test
  void regexesMatchAtTheStartAndTheFirstEntryWins() {
    ChannelCapacities c = new ChannelCapacities();
    c.addRegex(Pattern.compile("test\\.regex"), 2);
    c.addGlob("test.*", 3);
    assertThat(c.of("test.regex.one.more", 100)).isEqualTo(2);
    assertThat(c.of("test.other", 100)).isEqualTo(3);
    assertThat(c.of("x.test.regex", 100)).isEqualTo(100);
  }
}
