package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The Host header against allowedHosts, with Django's ALLOWED_HOSTS patterns. */
class AllowedHostsTest extends LiveServerTest {

  private static int status(int port, String headers) throws Exception {
    try (RawHttp c = new RawHttp(port)) {
      c.send("GET / HTTP/1.1\r\n" + headers + "\r\n");
      return c.read().status();
    }
  }

  @Test
  void onlyAllowedHostsAreServed() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).allowedHosts(".Example.com", "localhost", "127.0.0.1", "[::1]"));
    assertThat(status(port, "Host: example.com\r\n")).isEqualTo(200);
    assertThat(status(port, "Host: chat.EXAMPLE.com:8443\r\n")).isEqualTo(200);
    assertThat(status(port, "Host: localhost.\r\n")).isEqualTo(200);
    assertThat(status(port, "Host: 127.0.0.1:" + port + "\r\n")).isEqualTo(200);
    assertThat(status(port, "Host: [::1]:80\r\n")).isEqualTo(200);
    assertThat(echo.started).hasValue(5);
    try (LogCapture log = LogCapture.start()) {
      assertThat(status(port, "Host: evil.com\r\n")).isEqualTo(400);
      assertThat(log.await(l -> l.contains("is not in allowedHosts"), 1, WAIT).get(0))
          .contains("host 'evil.com'");
    }
    assertThat(status(port, "Host: notexample.com\r\n")).isEqualTo(400);
    assertThat(status(port, "Host: example.com.evil.com\r\n")).isEqualTo(400);
    assertThat(status(port, "Host: example.com@evil.com\r\n")).isEqualTo(400);
    assertThat(status(port, "Host: localhost\r\nHost: evil.com\r\n")).isEqualTo(400);
    assertThat(status(port, "")).isEqualTo(400);
    assertThat(echo.started).hasValue(5);
  }

  @Test
  void aTrustedProxyNamesTheHost() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).allowedHosts("chat.example.com").trustedProxies("127.0.0.1"));
    assertThat(status(port, "Host: 127.0.0.1\r\nX-Forwarded-Host: chat.example.com\r\n")).isEqualTo(200);
    assertThat(status(port, "Host: chat.example.com\r\nX-Forwarded-Host: evil.com\r\n")).isEqualTo(400);
  }

  @Test
  void everyHostIsServedByDefault() throws Exception {
    int port = start(ChannelsServer.builder(echo.app));
    assertThat(status(port, "Host: anything.invalid\r\n")).isEqualTo(200);
  }

  @Test
  void patternsAreValidatedAtOnce() {
    ChannelsServer.Builder b = ChannelsServer.builder(echo.app);
    assertThatThrownBy(() -> b.allowedHosts("example.com:8000")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'example.com:8000'");
    assertThatThrownBy(() -> b.allowedHosts("exa mple.com")).hasMessageContaining("'exa mple.com'");
    assertThatThrownBy(() -> b.allowedHosts("*.example.com")).hasMessageContaining("'*.example.com'");
    assertThatThrownBy(b::allowedHosts).hasMessageContaining("at least one");
    b.allowedHosts("*", ".example.com", "[::1]", "10.0.0.1");
  }
}
