package io.channels4j.docs.readme;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.auth.User;
import io.channels4j.testing.WebsocketCommunicator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's sessions sample works: a stranger is greeted as one, and the session keeps what is put in it. */
class ProfileAppTest {

  @Test
  void aStrangerGetsASessionThatKeepsTheTheme() {
    Application app = ProfileApp.application("a-secret-key-of-some-length", Map.of("42", User.of("42", "ada")));
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/profile/",
        List.of(Header.of("host", "localhost")), List.of());

    assertThat(ws.connect().accepted()).isTrue();
    assertThat(ws.receiveFrom()).isEqualTo("hello stranger");
    ws.sendTo("dark");
    assertThat(ws.receiveFrom()).isEqualTo("theme dark");
    ws.disconnect();
  }
}
