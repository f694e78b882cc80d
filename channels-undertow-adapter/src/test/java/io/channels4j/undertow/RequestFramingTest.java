package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ambiguous message framing (the stuff of request smuggling) is answered 400 and the connection closed. */
class RequestFramingTest extends LiveServerTest {

  int port;

  @BeforeEach
  void startEcho() {
    port = start(ChannelsServer.builder(echo.app));
  }

  private void assertRefused(String request, boolean beforeTheApplication) throws Exception {
    try (RawHttp c = new RawHttp(port)) {
      c.send(request);
      assertThat(c.read().status()).as(request).isEqualTo(400);
      assertThat(c.closedByServer()).isTrue();
    }
    if (beforeTheApplication) {
      assertThat(echo.started).hasValue(0);
    }
  }

  @Test
  void transferCodingsOtherThanChunkedAloneAreRefused() throws Exception {
    String head = "POST /p HTTP/1.1\r\nHost: x\r\n";
    assertRefused(head + "Transfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n", true);
    assertRefused(head + "Transfer-Encoding: identity, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", true);
    assertRefused(head + "Transfer-Encoding: gzip\r\n\r\n5\r\nhello\r\n0\r\n\r\n", true);
    assertRefused(head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", true);
    assertRefused(head + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n", true);
    assertRefused(head + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", true);
  }

  @Test
  void bareLineFeedsAndJunkInChunkLinesAreRefused() throws Exception {
    String head = "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    try (LogCapture log = LogCapture.start()) {
      assertRefused(head + "5\nhello\r\n0\r\n\r\n", false);
      assertThat(log.await(l -> l.contains("malformed chunked body"), 1, WAIT).get(0))
          .contains("bare LF after a chunk size");
    }
    assertRefused(head + "5\r\nhello\n0\r\n\r\n", false);
    assertRefused(head + "5\r\nhelloXX\r\n0\r\n\r\n", false);
    assertRefused(head + "5zz\r\nhello\r\n0\r\n\r\n", false);
    assertRefused(head + "5;ext\nhello\r\n0\r\n\r\n", false);
    assertRefused(head + "5\r\nhello\r\n0\r\nTrailer: x\n\r\n", false);
    assertRefused(head + "fffffffffffffffff\r\n", false);
  }

  @Test
  void aLongPollAfterAChunkedBodyIsNotTakenForAClientThatLeft() throws Exception {
    BlockingQueue<Message> events = new LinkedBlockingQueue<>();
    ChannelsServer poll = ChannelsServer.builder(Apps.loop((scope, event, send) -> {
      events.add(event); // never answers
      return true;
    })).port(0).shutdownTimeout(Duration.ofSeconds(2)).build().start();
    try (RawHttp c = new RawHttp(poll.port())) {
      c.send("POST /poll HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
      Message last = events.poll(5, TimeUnit.SECONDS);
      while (last != null && last.getBoolean("more_body", false)) {
        last = events.poll(5, TimeUnit.SECONDS);
      }
      assertThat(last).isNotNull();
      assertThat(last.type()).isEqualTo("http.request");
      assertThat(events.poll(500, TimeUnit.MILLISECONDS)).as("no disconnect while the client waits").isNull();
      c.socket.close();
      Message gone = events.poll(5, TimeUnit.SECONDS);
      assertThat(gone).isNotNull();
      assertThat(gone.type()).isEqualTo("http.disconnect");
    } finally {
      poll.stop();
    }
  }

  @Test
  void wellFormedChunkedBodiesArriveAndPipelinedRequestsFollow() throws Exception {
    try (RawHttp c = new RawHttp(port)) {
      c.send("POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: yes\r\n\r\n"
          + "POST /q HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:  Chunked \r\n\r\n3\r\nabc\r\n0\r\n\r\n");
      RawHttp.Response first = c.read();
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("hello world");
      RawHttp.Response second = c.read();
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.body()).isEqualTo("abc");
    }
  }
}
