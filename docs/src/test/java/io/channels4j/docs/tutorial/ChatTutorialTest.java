package io.channels4j.docs.tutorial;

// tag::test-imports[]
import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.testing.HttpCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import io.channels4j.undertow.ChannelsServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
// end::test-imports[]

/** Part 4 of the tutorial: the chat's automated tests, in-process and against a live server. */
class ChatTutorialTest {

  // tag::test-layer[]
  @BeforeEach
  void freshLayer() {
    ChannelLayers.set(ChannelLayers.DEFAULT, InMemoryChannelLayer.create());
  }

  @AfterEach
  void dropLayer() {
    ChannelLayers.remove(ChannelLayers.DEFAULT);
  }
  // end::test-layer[]

  // tag::test-communicator[]
  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void aMessageReachesEveryoneInTheRoom(String style) {
    Application app = ChatApp.application(
        style.equals("sync") ? ChatConsumer::new : AsyncChatConsumer::new, List.of("*"));

    WebsocketCommunicator alice = new WebsocketCommunicator(app, "/ws/chat/lobby/");
    WebsocketCommunicator bob = new WebsocketCommunicator(app, "/ws/chat/lobby/");
    WebsocketCommunicator carol = new WebsocketCommunicator(app, "/ws/chat/kitchen/");
    assertThat(alice.connect().accepted()).isTrue();
    assertThat(bob.connect().accepted()).isTrue();
    assertThat(carol.connect().accepted()).isTrue();

    alice.sendJsonTo(java.util.Map.of("message", "hello"));

    assertThat(alice.receiveJsonFrom().get("message").asText()).isEqualTo("hello");
    assertThat(bob.receiveJsonFrom().get("message").asText()).isEqualTo("hello");
    assertThat(carol.receiveNothing()).isTrue(); // another room hears nothing
    alice.disconnect();
    bob.disconnect();
    carol.disconnect();
  }
  // end::test-communicator[]

  // tag::test-http[]
  @Test
  void theIndexPageAsksForARoom() {
    Application app = ChatApp.application(AsyncChatConsumer::new, List.of("*"));
    HttpCommunicator index = new HttpCommunicator(app, "GET", "/chat/");
    index.sendRequest();
    HttpCommunicator.Response response = index.getResponse();
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.bodyText()).contains("room-name-input");
  }
  // end::test-http[]

  // tag::test-live[]
  @Test
  void twoBrowsersChatThroughALiveServer() throws Exception {
    try (ChannelsServer server = ChatMain.start(0)) {
      URI room = URI.create("ws://127.0.0.1:" + server.port() + "/ws/chat/live/");
      Inbox first = new Inbox();
      Inbox second = new Inbox();
      HttpClient client = HttpClient.newHttpClient();
      WebSocket one = client.newWebSocketBuilder().header("Origin", "http://127.0.0.1")
          .buildAsync(room, first).get(5, TimeUnit.SECONDS);
      WebSocket two = client.newWebSocketBuilder().header("Origin", "http://127.0.0.1")
          .buildAsync(room, second).get(5, TimeUnit.SECONDS);

      one.sendText("{\"message\": \"hi from one\"}", true).get(5, TimeUnit.SECONDS);

      assertThat(second.next()).isEqualTo("{\"message\":\"hi from one\"}");
      assertThat(first.next()).isEqualTo("{\"message\":\"hi from one\"}");
      one.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
      two.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }
  }

  /** Collects a client WebSocket's text messages. */
  static final class Inbox implements WebSocket.Listener {
    private final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        texts.add(partial.toString());
        partial.setLength(0);
      }
      webSocket.request(1);
      return CompletableFuture.completedFuture(null);
    }

    String next() throws InterruptedException {
      String text = texts.poll(5, TimeUnit.SECONDS);
      assertThat(text).as("a message within 5 s").isNotNull();
      return text;
    }
  }
  // end::test-live[]
}
