package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Main} in-process: exit codes and messages, and real servers started by it. */
class MainTest extends CliTest {

  private void assertUsage(String expected, String... args) {
    Run r = run(args);
    assertThat(r.status()).as(String.join(" ", args)).isEqualTo(2);
    assertThat(r.err()).as(String.join(" ", args)).contains("channels4j: " + expected).contains("--help");
    assertThat(r.serving()).isNull();
  }

  @Test
  void badValuesAreUsageErrorsNamingTheFlagAndValue() {
    assertUsage("Invalid value for option '--port': 'abc' is not an int", "-p", "abc", APP);
    assertUsage("-p/--port must be 0-65535, got '70000'", "-p", "70000", APP);
    assertUsage("--ping-timeout must be a positive number of seconds, got '0'", "--ping-timeout", "0", APP);
    assertUsage("--ping-interval must be 0 (never) or more seconds, got '-5'", "--ping-interval", "-5", APP);
    assertUsage("--websocket-timeout must be a positive number of seconds or -1 (for ever), got '0'",
        "--websocket_timeout", "0", APP);
    assertUsage("--application-close-timeout must be a positive number of seconds, got '-1'",
        "--application-close-timeout", "-1", APP);
    assertUsage("-v/--verbosity must be 0, 1, 2 or 3, got '7'", "-v", "7", APP);
    assertUsage("-u/--unix-socket '/tmp/s.sock' is not supported", "-u", "/tmp/s.sock", APP);
    assertUsage("-e/--endpoint: endpoint 'unix:/tmp/s': unix endpoints are not supported",
        "-e", "unix:/tmp/s", APP);
    assertUsage("-e/--endpoint: endpoint 'tcp:port=x': port must be a number 0-65535, got 'x'", "-e", "tcp:port=x", APP);
    assertUsage("-e/--endpoint: endpoint 'tcp:prot=1': unknown parameter 'prot=1'", "-e", "tcp:prot=1", APP);
    assertUsage("-e/--endpoint: endpoint 'ssl:port=8443': ssl needs privateKey=FILE.pem", "-e", "ssl:port=8443", APP);
    assertUsage("--proxy-headers-host needs --proxy-headers", "--proxy-headers-host", "X-Real-IP", APP);
    assertUsage("--trust-all-proxies needs --proxy-headers", "--trust-all-proxies", APP);
    assertUsage("--trusted-proxies: trusted proxy must be an IP address, a CIDR range such as 10.0.0.0/8, or '*', "
        + "got '10.0.0.0/33'", "--proxy-headers", "--trusted-proxies", "10.0.0.0/33", APP);
    assertUsage("--root-path: rootPath must be empty or start with '/' and not end with '/', got 'chat/'",
        "--root-path", "chat/", APP);
    assertUsage("Unknown option: '--bogus'", "--bogus", APP);
    assertUsage("Missing required parameter: '<application>'", "-p", "0");
  }

  @Test
  void helpAndVersion() {
    Run help = run("--help");
    assertThat(help.status()).isZero();
    assertThat(help.out()).contains("<application>", "-b, --bind=HOST", "--websocket-timeout", "--proxy-headers",
        "--trusted-proxies", "--access-log");
    Run version = run("--version");
    assertThat(version.status()).isZero();
    assertThat(version.out()).startsWith("Channels4J server ");
  }

  @Test
  void anApplicationThatCannotBeLoadedExitsWith1() {
    Run r = run("-p", "0", "com.x.Y");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("channels4j: cannot load the application 'com.x.Y': class com.x.Y not found");
  }

  @Test
  void servesOnEveryListenerAndWritesTheAccessLog(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("access.log");
    Run r = run("-b", "127.0.0.1", "-p", "0", "-e", "tcp:port=0:interface=127.0.0.1", "--access-log", log.toString(),
        "--root-path", "/r", APP);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.serving().servers).hasSize(2);
    assertThat(get("http://127.0.0.1:" + r.port(0) + "/a?x=1")).matches("http 127\\.0\\.0\\.1:\\d+ /r");
    assertThat(get("http://127.0.0.1:" + r.port(1) + "/b")).matches("http 127\\.0\\.0\\.1:\\d+ /r");
    LiveServerTest.await(() -> lines(log).size() == 2, "two access lines in the file");
    assertThat(lines(log).get(0)).matches("\\S+Z 127\\.0\\.0\\.1:\\d+ \"GET /a\\?x=1\" 200 \\d+ \\d+ms");
    assertThat(lines(log).get(1)).contains("\"GET /b\" 200");
    r.serving().close();
    assertThat(AccessLog.target).as("the access log target is removed on stop").isNull();
  }

  @Test
  void proxyHeadersFromTrustedProxiesOnly() throws Exception {
    HttpRequest.Builder req = HttpRequest.newBuilder().header("X-Forwarded-For", "203.0.113.9");
    Run trusted = run("-p", "0", "--proxy-headers", "--trusted-proxies", "10.0.0.0/8,127.0.0.0/8", APP);
    Run untrusted = run("-p", "0", "--proxy-headers", "--trusted-proxies", "10.0.0.0/8", APP);
    HttpClient c = HttpClient.newHttpClient();
    assertThat(c.send(req.uri(URI.create("http://127.0.0.1:" + trusted.port(0) + "/")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("http 203.0.113.9:0 ");
    assertThat(c.send(req.uri(URI.create("http://127.0.0.1:" + untrusted.port(0) + "/")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).startsWith("http 127.0.0.1:");
  }

  @Test
  void websocketTimeoutClosesTheConnection() throws Exception {
    Run r = run("-p", "0", "--websocket-timeout", "1", APP);
    WsRecorder ws = WsRecorder.open("ws://127.0.0.1:" + r.port(0) + "/ws");
    long t0 = System.nanoTime();
    ws.socket.sendText("hi", true);
    assertThat(ws.nextText()).isEqualTo("hi");
    WsRecorder.Close close = ws.nextClose();
    assertThat(close.code()).isEqualTo(1000);
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(700L, 5_000L);
  }

  @Test
  void layersFromASettingsFileAreRegisteredWhileServing(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("layers.properties");
    Files.writeString(file, "channels.layers.default.backend=inmemory\nchannels.layers.default.capacity=7\n");
    Run r = run("-p", "0", "--layers", file.toString(), APP);
    assertThat(r.status()).as(r.err()).isZero();
    io.channels4j.layers.ChannelLayer layer = io.channels4j.layers.ChannelLayers.get().orElseThrow();
    assertThat(layer).isInstanceOf(io.channels4j.layers.InMemoryChannelLayer.class);
    String ch = layer.sync().newChannel();
    layer.sync().send(ch, io.channels4j.Message.of("t"));
    assertThat(layer.sync().receive(ch).type()).isEqualTo("t");
    r.serving().close();
    assertThat(io.channels4j.layers.ChannelLayers.get()).as("unregistered on stop").isEmpty();

    Files.writeString(file, "channels.layers.default.capacity=lots\n");
    Run bad = run("-p", "0", "--layers", file.toString(), APP);
    assertThat(bad.status()).isEqualTo(2);
    assertThat(bad.err()).contains("channels4j: --layers: channels.layers.default.capacity").contains("'lots'");
    Run missing = run("-p", "0", "--layers", dir.resolve("nope.properties").toString(), APP);
    assertThat(missing.status()).isEqualTo(2);
    assertThat(missing.err()).contains("--layers: cannot read '" + dir.resolve("nope.properties") + "'");
  }

  @Test
  void aBusyPortIsAStartFailureNamingTheAddress() {
    Run first = run("-p", "0", APP);
    int port = first.port(0);
    Run second = run("-p", String.valueOf(port), APP);
    assertThat(second.status()).isEqualTo(1);
    assertThat(second.err()).contains("channels4j: cannot start: cannot listen on 127.0.0.1:" + port
        + ": address 127.0.0.1:" + port + " is already in use");
  }

  private static List<String> lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p) : Collections.emptyList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
