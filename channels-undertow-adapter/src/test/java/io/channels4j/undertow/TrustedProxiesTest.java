package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest extends LiveServerTest {

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void cidrRangesAndAddressesMatch() throws Exception {
    TrustedProxies t = TrustedProxies.NONE.plus("10.0.0.0/8", "192.168.1.7", "172.16.0.0/12", "fd00::/8");
    assertThat(t.trusts(ip("10.255.3.4"))).isTrue();
    assertThat(t.trusts(ip("11.0.0.1"))).isFalse();
    assertThat(t.trusts(ip("192.168.1.7"))).isTrue();
    assertThat(t.trusts(ip("192.168.1.8"))).isFalse();
    assertThat(t.trusts(ip("172.31.255.255"))).isTrue();
    assertThat(t.trusts(ip("172.32.0.0"))).isFalse();
    assertThat(t.trusts(ip("fd12::1"))).isTrue();
    assertThat(t.trusts(ip("fe80::1"))).isFalse();
    assertThat(t.trusts(ip("::ffff:10.1.1.1"))).as("an IPv4-mapped address is the IPv4 one").isTrue();
    assertThat(t.trusts(null)).isFalse();
    assertThat(TrustedProxies.NONE.plus("0.0.0.0/0").trusts(ip("8.8.8.8"))).isTrue();
    assertThat(TrustedProxies.NONE.plus("0.0.0.0/0").trusts(ip("::1"))).as("v4 range, v6 peer").isFalse();
    assertThat(TrustedProxies.NONE.plus("*").trusts(ip("::1"))).isTrue();
    assertThat(TrustedProxies.NONE.trusts(ip("127.0.0.1"))).isFalse();
  }

  @Test
  void badEntriesAreRefusedWithTheValue() {
    for (String bad : new String[] {"proxy.example.com", "10.0.0.0/33", "10.0.0/8", "10.0.0.0/x", "fd00::/129", ""}) {
      assertThatThrownBy(() -> ChannelsHandler.builder(CliApps.ECHO).trustedProxies(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("trusted proxy must be an IP address, a CIDR range such as 10.0.0.0/8, or '*', got '" + bad + "'");
    }
    assertThatThrownBy(() -> ChannelsHandler.builder(CliApps.ECHO).proxyHeaders("X Real", "X-Port"))
        .hasMessage("proxy address header must be an HTTP header name, got 'X Real'");
  }

  private static String get(int port, String... headers) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"));
    if (headers.length > 0) {
      r.headers(headers);
    }
    return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void forwardedHeadersAreBelievedOnlyFromATrustedRange() throws Exception {
    String[] forwarded = {"X-Forwarded-For", "203.0.113.7", "X-Forwarded-Port", "4711", "X-Forwarded-Proto", "https",
        "Daphne-Root-Path", "/mounted%20here"};
    int port = start(ChannelsServer.builder(CliApps.ECHO).trustedProxies("127.0.0.0/8"));
    assertThat(get(port, forwarded)).isEqualTo("https 203.0.113.7:4711 /mounted here");
    server.stop();

    port = start(ChannelsServer.builder(CliApps.ECHO).trustedProxies("10.0.0.0/8").rootPath("/app"));
    assertThat(get(port, forwarded)).matches("http 127\\.0\\.0\\.1:\\d+ /app");
    server.stop();

    port = start(ChannelsServer.builder(CliApps.ECHO).trustedProxies("127.0.0.1")
        .handlerOptions(h -> h.proxyHeaders("X-Real-IP", "X-Real-Port")));
    assertThat(get(port, "X-Real-IP", "198.51.100.2", "X-Real-Port", "99", "X-Forwarded-For", "203.0.113.7"))
        .isEqualTo("http 198.51.100.2:99 ");
  }
}
