package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Request bodies: size limit enforced as the body streams (413), and a time limit for the whole body (408). */
class RequestBodyLimitsTest extends LiveServerTest {

  @Test
  void declaredLengthOverTheLimitIs413BeforeTheBodyIsSent() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).maxBodySize(1024));
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 10485760\r\n\r\n0123456789");
      long t0 = System.nanoTime();
      RawHttp.Response r = c.read();
      assertThat(r.status()).isEqualTo(413);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
      assertThat(c.closedByServer()).isTrue();
    }
    assertThat(echo.started).hasValue(0);
  }

  @Test
  void chunkedRunningTotalOverTheLimitIs413AtOnceWithoutReadingTheRest() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).maxBodySize(1024));
    try (LogCapture log = LogCapture.start(); RawHttp c = new RawHttp(port)) {
      c.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < 3; i++) {
        c.send("200\r\n" + EchoApp.text(512) + "\r\n"); // 1.5 KiB, the body never ends
      }
      assertThat(c.read().status()).isEqualTo(413);
      assertThat(c.closedByServer()).isTrue();
      assertThat(log.await(l -> l.contains("exceeds maxBodySize 1024"), 1, WAIT)).hasSize(1);
    }
  }

  @Test
  void tricklingBodyIsCutAt408() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).bodyTimeout(Duration.ofMillis(800)));
    try (LogCapture log = LogCapture.start(); RawHttp c = new RawHttp(port)) {
      c.send("POST /slow%0aFORGED HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n");
      assertTrickleCutWith408(c, "x".repeat(1000), Duration.ofMillis(700), Duration.ofSeconds(5));
      assertThat(log.await(l -> l.contains("bodyTimeout"), 1, WAIT).get(0))
          .contains("POST /slow%0aFORGED").contains("body incomplete after 800 ms");
    }
  }

  @Test
  void stalledBodyIs408AndFreesItsSlot() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).bodyTimeout(Duration.ofMillis(500)));
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n" + EchoApp.text(300_000));
      assertThat(c.read().status()).isEqualTo(408);
      assertThat(c.closedByServer()).isTrue();
    }
    await(() -> server.handler().activeConnections() == 0, "the request's slot back");
  }

  @Test
  void bodiesWithinTheLimitsStillArriveWholeOnAKeptAliveConnection() throws Exception {
    int port = start(ChannelsServer.builder(echo.app).maxBodySize(200_000).bodyTimeout(Duration.ofSeconds(5)));
    try (RawHttp c = new RawHttp(port)) {
      for (int i = 0; i < 2; i++) {
        c.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 200000\r\n\r\n" + EchoApp.text(200_000));
        RawHttp.Response r = c.read();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).hasSize(200_000);
      }
    }
  }

  @Test
  void optionsAreValidatedAtOnce() {
    ChannelsServer.Builder b = ChannelsServer.builder(echo.app);
    assertThatThrownBy(() -> b.bodyTimeout(Duration.ofMillis(-5))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bodyTimeout").hasMessageContaining("PT-0.005S");
    assertThatThrownBy(() -> b.maxBodySize(0)).hasMessageContaining("got 0");
  }
}
