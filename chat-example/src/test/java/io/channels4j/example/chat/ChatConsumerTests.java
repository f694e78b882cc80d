package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.routing.URLRouter;
import io.channels4j.testing.WebsocketCommunicator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat consumer driven by {@link WebsocketCommunicator}s, once per channel layer: each subclass
 * supplies a layer, registered as the default for each test and flushed and closed after it.
 */
abstract class ChatConsumerTests {

  private final List<WebsocketCommunicator> open = new ArrayList<>();
  private ChannelLayer layer;
  private Application app;

  /** A fresh, empty layer for one test. */
  protected abstract ChannelLayer createLayer();

  @BeforeEach
  void registerLayer() {
    layer = createLayer();
    // Starts empty; on Redis this also opens the connection before the communicators' 1 s timeouts run.
    layer.sync().flush();
    // This test's own layer, bound to its application: nothing global, so test classes may run in parallel.
    app = bound(URLRouter.of(ChatApplication.websocketUrlPatterns()));
  }

  private Application bound(Application application) {
    return ChannelLayers.bind(application, alias -> ChannelLayers.DEFAULT.equals(alias) ? layer : null);
  }

  @AfterEach
  void disconnectAndReset() {
    for (WebsocketCommunicator ws : open) {
      if (!ws.isDone()) {
        ws.disconnect();
      }
    }
    layer.sync().flush();
    layer.close();
  }

  private WebsocketCommunicator join(String room) {
    String path = "/ws/chat/" + URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20") + "/";
    WebsocketCommunicator ws = new WebsocketCommunicator(app, path);
    open.add(ws);
    assertThat(ws.connect().accepted()).as("connect to " + path).isTrue();
    return ws;
  }

  private static String message(JsonNode reply) {
    assertThat(reply.has("message")).as("reply %s has a message", reply).isTrue();
    return reply.get("message").asText();
  }

  @Test
  void aMessageReachesEveryoneInTheRoomAndNoOneElse() {
    WebsocketCommunicator alice = join("lobby");
    WebsocketCommunicator bob = join("lobby");
    WebsocketCommunicator carol = join("other");

    alice.sendJsonTo(Map.of("message", "hello"));

    assertThat(message(alice.receiveJsonFrom())).isEqualTo("hello");
    assertThat(message(bob.receiveJsonFrom())).isEqualTo("hello");
    assertThat(carol.receiveNothing()).isTrue();

    carol.sendJsonTo(Map.of("message", "anyone?"));
    assertThat(message(carol.receiveJsonFrom())).isEqualTo("anyone?");
    assertThat(alice.receiveNothing()).isTrue();
    assertThat(bob.receiveNothing()).isTrue();
  }

  @Test
  void unicodeAndSpacedRoomsWorkAndStaySeparate() {
    WebsocketCommunicator a = join("聊天室");
    WebsocketCommunicator b = join("聊天室");
    WebsocketCommunicator spaced = join("two words");
    WebsocketCommunicator underscored = join("two_words");

    a.sendJsonTo(Map.of("message", "你好 👋"));
    assertThat(message(a.receiveJsonFrom())).isEqualTo("你好 👋");
    assertThat(message(b.receiveJsonFrom())).isEqualTo("你好 👋");

    spaced.sendJsonTo(Map.of("message", "with a space"));
    assertThat(message(spaced.receiveJsonFrom())).isEqualTo("with a space");
    assertThat(underscored.receiveNothing()).isTrue();
    assertThat(a.receiveNothing()).isTrue();
  }

  @Test
  void plainRoomsUseTheTutorialsGroupSoDjangoPeersShareThem() {
    WebsocketCommunicator ws = join("lobby");
    // What the Django tutorial's consumer sends to the group.
    layer.sync().groupSend("chat_lobby", Message.of("chat_message", "message", "from django"));
    assertThat(message(ws.receiveJsonFrom())).isEqualTo("from django");
    // A Django peer forwards any JSON value; it comes out as it went in.
    layer.sync().groupSend("chat_lobby", Message.of("chat_message", "message", 42));
    assertThat(ws.receiveJsonFrom().get("message").asLong()).isEqualTo(42);
  }

  @Test
  void invalidJsonClosesWith1007AndTheRoomGoesOn() {
    WebsocketCommunicator bad = join("lobby");
    WebsocketCommunicator good = join("lobby");

    bad.sendTo("{not json");
    WebsocketCommunicator.Close close = bad.receiveClose();
    assertThat(close.code()).isEqualTo(1007);
    assertThat(close.reason()).contains("invalid JSON");
    bad.disconnect(1007, java.time.Duration.ofSeconds(1));

    good.sendJsonTo(Map.of("message", "still here"));
    assertThat(message(good.receiveJsonFrom())).isEqualTo("still here");
    assertThat(good.receiveNothing()).isTrue();
  }

  @Test
  void jsonWithoutAStringMessageGetsAnErrorAndStaysOpen() {
    WebsocketCommunicator ws = join("lobby");
    WebsocketCommunicator peer = join("lobby");
    for (String frame : List.of("{}", "{\"msg\": \"x\"}", "{\"message\": 7}", "{\"message\": null}",
        "{\"message\": [\"x\"]}", "[1, 2]", "\"message\"", "null")) {
      ws.sendTo(frame);
      JsonNode reply = ws.receiveJsonFrom();
      assertThat(reply.get("error").asText()).as(frame).isEqualTo(ChatConsumer.BAD_MESSAGE_ERROR);
    }
    assertThat(peer.receiveNothing()).isTrue();

    ws.sendJsonTo(Map.of("message", "now right"));
    assertThat(message(ws.receiveJsonFrom())).isEqualTo("now right");
    assertThat(message(peer.receiveJsonFrom())).isEqualTo("now right");
  }

  @Test
  void aBinaryFrameClosesWith1003() {
    WebsocketCommunicator ws = join("lobby");
    WebsocketCommunicator peer = join("lobby");
    ws.sendTo(new byte[] {1, 2, 3});
    assertThat(ws.receiveClose().code()).isEqualTo(1003);
    ws.disconnect(1003, java.time.Duration.ofSeconds(1));

    peer.sendJsonTo(Map.of("message", "after binary"));
    assertThat(message(peer.receiveJsonFrom())).isEqualTo("after binary");
  }

  @Test
  void aLeaverGetsNoMoreMessages() {
    WebsocketCommunicator stays = join("lobby");
    WebsocketCommunicator leaves = join("lobby");
    leaves.disconnect();
    stays.sendJsonTo(Map.of("message", "bye"));
    assertThat(message(stays.receiveJsonFrom())).isEqualTo("bye");
    assertThat(stays.receiveNothing()).isTrue();
  }

  @Test
  void aForeignOriginIsRejectedByTheWholeApplication() {
    Application whole = bound(ChatApplication.create(ChatOptions.LOCAL_HOSTS));
    WebsocketCommunicator foreign = new WebsocketCommunicator(
        whole, "/ws/chat/lobby/", List.of(Header.of("origin", "http://evil.example")), List.of());
    assertThat(foreign.connect().accepted()).isFalse();
    WebsocketCommunicator local = new WebsocketCommunicator(
        whole, "/ws/chat/lobby/", List.of(Header.of("origin", "http://127.0.0.1:8000")), List.of());
    open.add(local);
    assertThat(local.connect().accepted()).isTrue();
  }
}
