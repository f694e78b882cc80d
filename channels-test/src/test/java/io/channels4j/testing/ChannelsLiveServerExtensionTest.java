package io.channels4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The extension on a real server: injection, the per-test layer, and nothing written to the global registry. */
@ChannelsLiveServer(RoomSetup.class)
class ChannelsLiveServerExtensionTest {

  private static final Set<ChannelLayer> LAYERS_SEEN = ConcurrentHashMap.newKeySet();
  private static LiveServer serverBeforeAll;

  @BeforeAll
  static void noTestNoLayer(LiveServer server) {
    serverBeforeAll = server;
    assertThatThrownBy(server::layer).isInstanceOf(IllegalStateException.class).hasMessageContaining("no test");
  }

  @AfterAll
  static void everyTestHadItsOwnLayer() {
    assertThat(LAYERS_SEEN).hasSize(3);
  }

  @Test
  void socketsTalkThroughTheTestsLayer(LiveServer server, ChannelLayer layer) throws Exception {
    LAYERS_SEEN.add(layer);
    assertThat(server).isSameAs(serverBeforeAll);
    assertThat(layer).isSameAs(server.layer()).isInstanceOf(InMemoryChannelLayer.class);
    try (TestSocket a = new TestSocket(server, "/ws/room/"); TestSocket b = new TestSocket(server, "/ws/room/")) {
      a.send("hello");
      assertThat(a.next()).isEqualTo("hello");
      assertThat(b.next()).isEqualTo("hello");
      // The test's own layer reaches the server's consumers: it is the one they use.
      layer.groupSend(RoomSetup.GROUP, Message.of("room.say", "text", "from the test")).toCompletableFuture().join();
      assertThat(a.next()).isEqualTo("from the test");
      assertThat(b.next()).isEqualTo("from the test");
    }
  }

  @Test
  void theGlobalRegistryIsNeitherReadNorWritten(LiveServer server, ChannelLayer layer) throws Exception {
    LAYERS_SEEN.add(layer);
    assertThat(ChannelLayers.get()).isEmpty();
    ChannelLayer decoy = InMemoryChannelLayer.create();
    ChannelLayers.set(ChannelLayers.DEFAULT, decoy);
    try (TestSocket a = new TestSocket(server, "/ws/room/")) {
      decoy.groupSend(RoomSetup.GROUP, Message.of("room.say", "text", "decoy")).toCompletableFuture().join();
      a.send("mine");
      assertThat(a.next()).isEqualTo("mine");
      assertThat(a.nothingWithin(Duration.ofMillis(200))).isTrue();
    } finally {
      ChannelLayers.remove(ChannelLayers.DEFAULT);
      decoy.close();
    }
  }

  @Test
  void httpAndUrisPointAtTheServer(LiveServer server, TestInfo info) throws Exception {
    LAYERS_SEEN.add(server.layer());
    assertThat(server.port()).isPositive();
    assertThat(server.wsUri("/ws/room/")).isEqualTo(URI.create("ws://127.0.0.1:" + server.port() + "/ws/room/"));
    assertThatThrownBy(() -> server.httpUri("nope")).isInstanceOf(IllegalArgumentException.class);
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.httpUri("/nothing/"))
        .timeout(TestSocket.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(info.getDisplayName()).isEqualTo(404);
  }
}
