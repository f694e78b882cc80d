package io.channels4j.consumer;

import static io.channels4j.routing.Routes.path;
import static io.channels4j.routing.Routes.rePath;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.routing.URLRouter;
import io.channels4j.testing.WebsocketCommunicator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Channels tutorial's chat consumer, in its sync and async forms, tested as the tutorial does. */
class ChatTutorialTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Tutorial part 2: the sync consumer. */
  public static class ChatConsumer extends WebsocketConsumer {
    private String roomGroupName;

    @Override
    public void connect() {
      roomGroupName = "chat_" + scope().urlRoute().kwarg("room_name").orElseThrow();
      channelLayer().sync().groupAdd(roomGroupName, channelName());
      accept();
    }

    @Override
    public void disconnect(int code) {
      channelLayer().sync().groupDiscard(roomGroupName, channelName());
    }

    @Override
    public void receive(String textData, byte[] bytesData) {
      String message = readJson(textData).get("message").asText();
      channelLayer().sync().groupSend(roomGroupName, Message.of("chat.message", "message", message));
    }

    public void chatMessage(Message event) {
      send(writeJson(Map.of("message", event.getString("message"))));
    }
  }

  /** Tutorial part 3: the async consumer. */
  public static class AsyncChatConsumer extends AsyncWebsocketConsumer {
    private String roomGroupName;

    @Override
    public CompletionStage<Void> connect() {
      roomGroupName = "chat_" + scope().urlRoute().kwarg("room_name").orElseThrow();
      return channelLayer().groupAdd(roomGroupName, channelName()).thenCompose(v -> accept());
    }

    @Override
    public CompletionStage<Void> disconnect(int code) {
      return channelLayer().groupDiscard(roomGroupName, channelName());
    }

    @Override
    public CompletionStage<Void> receive(String textData, byte[] bytesData) {
      String message = readJson(textData).get("message").asText();
      return channelLayer().groupSend(roomGroupName, Message.of("chat_message", "message", message));
    }

    public CompletionStage<Void> chat_message(Message event) {
      return send(writeJson(Map.of("message", event.getString("message"))));
    }
  }

  static Stream<Application> applications() {
    return Stream.of(
        URLRouter.of(rePath("^ws/chat/(?<room_name>\\w+)/$", ChatConsumer::new)),
        URLRouter.of(path("ws/chat/<str:room_name>/", AsyncChatConsumer::new)));
  }

  private InMemoryChannelLayer layer;

  @BeforeEach
  void registerLayer() {
    layer = InMemoryChannelLayer.create();
    ChannelLayers.set(ChannelLayers.DEFAULT, layer);
  }

  @AfterEach
  void removeLayer() {
    ChannelLayers.remove(ChannelLayers.DEFAULT);
    layer.close();
  }

  @ParameterizedTest
  @MethodSource("applications")
  void aMessageComesBackToItsSender(Application app) {
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/chat/lobby/");
    assertThat(ws.connect().accepted()).isTrue();
    ws.sendJsonTo(Map.of("message", "hello"));
    assertThat(ws.receiveJsonFrom().get("message").asText()).isEqualTo("hello");
    ws.disconnect();
  }

  @ParameterizedTest
  @MethodSource("applications")
  void twoInOneRoomBothReceiveAndAnotherRoomReceivesNothing(Application app) {
    WebsocketCommunicator alice = new WebsocketCommunicator(app, "/ws/chat/lobby/");
    WebsocketCommunicator bob = new WebsocketCommunicator(app, "/ws/chat/lobby/");
    WebsocketCommunicator carol = new WebsocketCommunicator(app, "/ws/chat/kitchen/");
    assertThat(alice.connect().accepted()).isTrue();
    assertThat(bob.connect().accepted()).isTrue();
    assertThat(carol.connect().accepted()).isTrue();

    alice.sendJsonTo(Map.of("message", "hi all"));
    assertThat(alice.receiveJsonFrom().get("message").asText()).isEqualTo("hi all");
    assertThat(bob.receiveJsonFrom().get("message").asText()).isEqualTo("hi all");
    assertThat(carol.receiveNothing()).isTrue();

    // After Bob leaves, the room goes on without him.
    bob.disconnect();
    alice.sendJsonTo(Map.of("message", "bye bob"));
    assertThat(alice.receiveJsonFrom().get("message").asText()).isEqualTo("bye bob");
    alice.disconnect();
    carol.disconnect();
  }

  static JsonNode readJson(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String writeJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
