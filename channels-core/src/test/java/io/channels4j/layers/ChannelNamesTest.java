package io.channels4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** ChannelNames agrees with Channels' regexes (in ASCII, anchored at both ends). */
class ChannelNamesTest {

  private static final Pattern CHANNEL = Pattern.compile("[a-zA-Z\\d\\-_.]+(![a-zA-Z\\d\\-_.]*)?");
  private static final Pattern GROUP = Pattern.compile("[a-zA-Z\\d\\-_.]+");
  private static final String ALPHABET = "aZ09-_.!!! ?/é\n\t日";

  private static boolean accepts(java.util.function.UnaryOperator<String> check, String name) {
    try {
      check.apply(name);
      return true;
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().endsWith("'" + name + "'")) {
        fail("the message must quote the name: " + e.getMessage());
      }
      return false;
    }
  }

  @Test
  void agreesWithChannelsRegexesOnRandomNames() {
    Random random = new Random(42);
    for (int n = 0; n < 20_000; n++) {
      int len = random.nextInt(n % 100 == 0 ? 120 : 8);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < len; i++) {
        sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
      }
      String name = sb.toString();
      boolean shortEnough = name.length() < ChannelNames.MAX_NAME_LENGTH;
      if (accepts(ChannelNames::requireValidChannelName, name) != (shortEnough && CHANNEL.matcher(name).matches())) {
        fail("ChannelNames and Channels' regex disagree on channel name '" + name + "'");
      }
      if (accepts(ChannelNames::requireValidGroupName, name) != (shortEnough && GROUP.matcher(name).matches())) {
        fail("ChannelNames and Channels' regex disagree on group name '" + name + "'");
      }
    }
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> ChannelNames.requireValidChannelName(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChannelNames.requireValidGroupName(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nonLocalName() {
    assertThat(ChannelNames.nonLocalName("specific.abc!def")).isEqualTo("specific.abc!");
    assertThat(ChannelNames.nonLocalName("plain")).isEqualTo("plain");
    assertThat(ChannelNames.isProcessLocal("a!b")).isTrue();
    assertThat(ChannelNames.isProcessLocal("ab")).isFalse();
  }
}
