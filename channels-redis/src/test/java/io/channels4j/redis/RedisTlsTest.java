package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayerUnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://} with client certificates against a real {@code redis-server --tls-port ...
 * --tls-auth-clients yes}, with a CA, server and client certificate made by {@code openssl} here.
 */
class RedisTlsTest {

  @TempDir static Path dir;
  private static RedisServer server;
  private static int tlsPort;

  @BeforeAll
  static void start() throws Exception {
    RedisServerExtension.requireRedisServer();
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
        "-subj", "/CN=channels4j-test-ca");
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    for (String who : List.of("server", "client")) {
      openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
          "-subj", "/CN=channels4j-test-" + who);
      List<String> sign = new ArrayList<>(List.of("x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
          "-CAcreateserial", "-out", who + ".crt", "-days", "2"));
      if (who.equals("server")) {
        sign.addAll(List.of("-extfile", "server.ext"));
      }
      openssl(sign.toArray(String[]::new));
    }
    assertThat(Files.readString(dir.resolve("client.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    tlsPort = RedisServer.freePort();
    server = RedisServer.start("--tls-port", Integer.toString(tlsPort),
        "--tls-cert-file", dir.resolve("server.crt").toString(), "--tls-key-file", dir.resolve("server.key").toString(),
        "--tls-ca-cert-file", dir.resolve("ca.crt").toString(), "--tls-auth-clients", "yes");
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl " + args[0] + " finished").isTrue();
    assertThat(p.exitValue()).as("openssl " + String.join(" ", args) + ": " + out).isZero();
  }

  private static String tlsUri() {
    return "rediss://127.0.0.1:" + tlsPort;
  }

  @Test
  void bothLayersTalkOverTlsWithAClientCertificate() {
    try (RedisChannelLayer tls = RedisChannelLayer.builder().host(tlsUri())
             .sslCaCerts(dir.resolve("ca.crt")).sslCertfile(dir.resolve("client.crt")).sslKeyfile(dir.resolve("client.key"))
             .build();
         RedisChannelLayer plain = RedisChannelLayer.builder().host(server.uri()).build();
         RedisPubSubChannelLayer pubsub = RedisPubSubChannelLayer.builder().host(tlsUri())
             .sslCaCerts(dir.resolve("ca.crt")).sslCertfile(dir.resolve("client.crt")).sslKeyfile(dir.resolve("client.key"))
             .build()) {
      String ch = tls.sync().newChannel();
      tls.sync().groupAdd("room", ch);
      plain.sync().groupSend("room", Message.of("over.tls", "text", "hi"));
      assertThat(tls.sync().receive(ch)).isEqualTo(Message.of("over.tls", "text", "hi"));
      tls.sync().send("worker", Message.of("job"));
      assertThat(plain.sync().receive("worker").type()).isEqualTo("job");

      String sub = pubsub.sync().newChannel();
      pubsub.sync().send(sub, Message.of("pubsub.tls"));
      assertThat(pubsub.sync().receive(sub).type()).isEqualTo("pubsub.tls");
      tls.sync().flush();
    }
  }

  @Test
  void withoutAClientCertificateTheConnectionFailsSayingWhy() {
    try (RedisChannelLayer noCert = RedisChannelLayer.builder().host(tlsUri()).sslCaCerts(dir.resolve("ca.crt"))
        .commandTimeout(Duration.ofSeconds(3)).build()) {
      assertThatThrownBy(() -> noCert.sync().send("worker", Message.of("job")))
          .isInstanceOf(ChannelLayerUnavailableException.class)
          .hasMessageContaining("127.0.0.1:" + tlsPort + " is unavailable")
          .hasMessageContaining("sslCertfile/sslKeyfile");
    }
  }

  @Test
  void tlsFilesAreCheckedWhenGiven() throws IOException {
    assertThatThrownBy(() -> RedisChannelLayer.builder().sslCaCerts(dir.resolve("missing.pem")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sslCaCerts must be a readable PEM file: '" + dir.resolve("missing.pem") + "'");
    assertThatThrownBy(() -> RedisChannelLayer.builder().host(tlsUri()).sslCertfile(dir.resolve("client.crt")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a client certificate needs both sslCertfile and sslKeyfile");
    assertThatThrownBy(() -> RedisPubSubChannelLayer.builder().host(tlsUri()).sslKeyfile(dir.resolve("client.key")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a client certificate needs both sslCertfile and sslKeyfile");
  }
}
