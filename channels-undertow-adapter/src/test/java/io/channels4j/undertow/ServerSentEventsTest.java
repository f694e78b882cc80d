package io.channels4j.undertow;

import static io.channels4j.routing.Routes.path;
import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import io.channels4j.consumer.ServerSentEventsConsumer;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayer.HistoryLimits;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.routing.URLRouter;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerSentEventsConsumer} on a real server, read from a raw socket: keep-alive comments come
 * at the consumer's interval, each group message is flushed as an event the moment it is sent, and the
 * consumer leaves its group when the client goes away.
 */
class ServerSentEventsTest extends LiveServerTest {

  static final CountDownLatch LEFT = new CountDownLatch(1);
  private ChannelLayer layer;

  /** A stream of the group {@code news} with a 100 ms keep-alive. */
  public static final class News extends ServerSentEventsConsumer {
    /** One per request. */
    public News() {}

    @Override
    protected String group() {
      return "news";
    }

    @Override
    protected Duration keepAlive() {
      return Duration.ofMillis(100);
    }

    @Override
    public java.util.concurrent.CompletionStage<Void> disconnect() {
      return super.disconnect().thenRun(LEFT::countDown);
    }
  }

  @BeforeEach
  void layer() {
    layer = InMemoryChannelLayer.create();
    ChannelLayers.set(ChannelLayers.DEFAULT, layer);
  }

  @AfterEach
  void removeLayer() {
    ChannelLayers.remove(ChannelLayers.DEFAULT);
    layer.close();
  }

  /** Everything read so far from a socket, by a reader thread. */
  static final class Received {
    final StringBuffer text = new StringBuffer();

    Received(InputStream in) {
      Thread t = new Thread(() -> {
        byte[] buf = new byte[4096];
        try {
          for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
            text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
          }
        } catch (java.io.IOException e) {
          // closed
        }
      }, "sse-test-reader");
      t.setDaemon(true);
      t.start();
    }
  }

  @Test
  void keepAlivesEventsAsSentAndLeavingOnDisconnect() throws Exception {
    int port = start(ChannelsServer.builder(URLRouter.of(List.of(path("news/", News::new)))));
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /news/ HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Received r = new Received(s.getInputStream());
      await(() -> r.text.indexOf("text/event-stream") > 0 && r.text.indexOf(": stream of news") > 0, "the stream's start");
      await(() -> r.text.indexOf(": keep-alive\n\n") > 0, "a keep-alive comment");

      for (int i = 1; i <= 3; i++) {
        String id = layer.groupSendRecorded("news", Message.of("news.item", "title", "item " + i),
            HistoryLimits.lastMessages(10)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        String expected = "id: " + id + "\nevent: news.item\ndata: {\"title\":\"item " + i + "\"}\n\n";
        // Each event arrives before the next is even sent: the response is streamed, not buffered.
        await(() -> r.text.indexOf(expected) > 0, "event " + expected);
      }
    }
    assertThat(LEFT.await(10, TimeUnit.SECONDS)).as("the consumer left its group when the client went away").isTrue();
  }
}
