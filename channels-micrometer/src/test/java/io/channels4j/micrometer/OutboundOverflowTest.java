package io.channels4j.micrometer;

import static io.channels4j.routing.Routes.path;
import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.routing.URLRouter;
import io.channels4j.testing.ChannelsLiveServer;
import io.channels4j.testing.LiveServer;
import io.channels4j.testing.LiveServerSetup;
import io.channels4j.undertow.ChannelsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The server's observer hook on a live server: a client that never reads overflows its outbound bound. */
@ChannelsLiveServer(OutboundOverflowTest.Flood.class)
class OutboundOverflowTest {

  static final ChannelsMeters METERS = new ChannelsMeters(new SimpleMeterRegistry());

  /** Sends 2,000 frames of 1 KB when told "go"; the server allows 16 KB queued per client. */
  static final class Flood implements LiveServerSetup {
    /** The flooding consumer. */
    public static final class Flooder extends AsyncWebsocketConsumer {
      @Override
      public CompletionStage<Void> receive(String text, byte[] bytes) {
        CompletionStage<Void> last = CompletableFuture.completedFuture(null);
        for (int i = 0; i < 2000; i++) {
          last = send(i + ":" + "x".repeat(1024));
        }
        return last;
      }
    }

    @Override
    public Application application() {
      return METERS.instrument(URLRouter.of(path("ws/flood/", Flooder::new)));
    }

    @Override
    public void configure(ChannelsServer.Builder builder) {
      builder.maxOutboundBytes(16 * 1024).sendBufferSize(4096).observer(METERS);
    }
  }

  @Test
  void aClientThatNeverReadsIsCountedAsAnOverflowAndClosed(LiveServer server) {
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket.Listener neverReads = new WebSocket.Listener() {
      @Override
      public void onOpen(WebSocket ws) {
        // no request(): the client takes nothing, so the server's queue for it fills
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.complete(-1);
      }
    };
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", server.origin())
        .buildAsync(server.wsUri("/ws/flood/"), neverReads).orTimeout(5, TimeUnit.SECONDS).join();
    try {
      ws.sendText("go", true).orTimeout(5, TimeUnit.SECONDS).join();
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(METERS.registry().get("channels.outbound.overflows").counter().count()).isPositive());
      assertThat(METERS.registry().get("channels.messages.out").tag("protocol", "websocket").counter().count())
          .isGreaterThan(16);
      // the server cut the slow client off (1008); its connection is counted closed
      Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(METERS.registry().get("channels.connections.open").tag("protocol", "websocket").gauge().value())
              .isZero());
    } finally {
      ws.abort();
    }
  }
}
