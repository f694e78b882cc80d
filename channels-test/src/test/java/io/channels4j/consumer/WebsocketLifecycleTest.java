package io.channels4j.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.channels4j.Application;
import io.channels4j.LogLines;
import io.channels4j.Message;
import io.channels4j.Scope;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.testing.WebsocketCommunicator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WebSocket lifecycle is one piece of code for both families: the sync and async consumers below
 * are put through the same steps and must behave the same.
 */
class WebsocketLifecycleTest {

  private static final String ALIAS = ChannelLayers.DEFAULT;
  private ScriptedLayer layer;

  @BeforeEach
  void registerLayer() {
    layer = new ScriptedLayer();
    ChannelLayers.set(ALIAS, layer);
  }

  @AfterEach
  void removeLayer() {
    ChannelLayers.remove(ALIAS);
    layer.close();
  }

  /** A sync consumer in group "room" that records its callbacks and fails on the text "boom". */
  public static class SyncRoom extends WebsocketConsumer {
    final List<String> calls;

    SyncRoom(List<String> calls) {
      this.calls = calls;
    }

    @Override
    protected List<String> groups() {
      return List.of("room");
    }

    @Override
    public void connect() {
      calls.add("connect");
      accept();
    }

    @Override
    public void receive(String textData, byte[] bytesData) {
      if (textData.equals("boom")) {
        throw new IllegalStateException("handler failed on purpose");
      }
      send(textData);
    }

    @Override
    public void disconnect(int code) {
      calls.add("disconnect " + code);
    }
  }

  /** The same consumer, async. */
  public static class AsyncRoom extends AsyncWebsocketConsumer {
    final List<String> calls;

    AsyncRoom(List<String> calls) {
      this.calls = calls;
    }

    @Override
    protected List<String> groups() {
      return List.of("room");
    }

    @Override
    public CompletionStage<Void> connect() {
      calls.add("connect");
      return accept();
    }

    @Override
    public CompletionStage<Void> receive(String textData, byte[] bytesData) {
      if (textData.equals("boom")) {
        throw new IllegalStateException("handler failed on purpose");
      }
      return send(textData);
    }

    @Override
    public CompletionStage<Void> disconnect(int code) {
      calls.add("disconnect " + code);
      return Application.done();
    }
  }

  private Application app(String family) {
    Supplier<AsyncConsumer> factory = family.equals("sync") ? () -> new SyncRoom(layer.calls) : () -> new AsyncRoom(layer.calls);
    return AsyncConsumer.asApplication(factory);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void joinsGroupsBeforeConnectAndLeavesThemBeforeDisconnectThenStops(String family) {
    WebsocketCommunicator ws = new WebsocketCommunicator(app(family), "/ws/room/");
    assertThat(ws.connect().accepted()).isTrue();
    ws.disconnect(4001, Duration.ofSeconds(5));
    assertThat(layer.calls).containsExactly("groupAdd room", "connect", "groupDiscard room", "discarded room", "disconnect 4001");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void onErrorClosesWith1011ThenEndsOnlyOnceTheGroupsAreLeft(String family) {
    WebsocketCommunicator ws = new WebsocketCommunicator(app(family), "/ws/room/");
    assertThat(ws.connect().accepted()).isTrue();
    CompletableFuture<Void> gate = new CompletableFuture<>();
    layer.discardGate = gate;
    ws.sendTo("boom");
    assertThat(ws.receiveClose().code()).isEqualTo(1011);
    await().atMost(Duration.ofSeconds(5)).until(() -> layer.calls.contains("groupDiscard room"));
    // The discard is held: the consumer must still be running, waiting for it.
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !ws.isDone());
    gate.complete(null);
    // the application's stage fails with the handler's error once the consumer has ended
    assertThatThrownBy(() -> ws.await(Duration.ofSeconds(5))).hasMessageContaining("handler failed on purpose");
    assertThat(layer.calls).containsExactly("groupAdd room", "connect", "groupDiscard room", "discarded room");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void layerDownDuringHandshakeAnswers503WithOneWarnLine(String family) {
    layer.unavailable = true;
    Scope scope = Scope.builder(Scope.WEBSOCKET).path("/ws/room/\nINFO forged line")
        .set("extensions", Map.of("websocket.http.response", Map.of())).build();
    WebsocketCommunicator ws = new WebsocketCommunicator(app(family), scope);
    List<String> log = LogLines.during(() -> {
      ws.sendInput(Message.of("websocket.connect"));
      Message start = ws.receiveOutput();
      assertThat(start.type()).isEqualTo("websocket.http.response.start");
      assertThat(start.getInt("status", 0)).isEqualTo(503);
      Message body = ws.receiveOutput();
      assertThat(body.type()).isEqualTo("websocket.http.response.body");
      assertThat(new String(body.getBytes("body"), StandardCharsets.UTF_8)).contains("try again later");
      ws.await(Duration.ofSeconds(5));
    });
    assertThat(log).hasSize(1);
    assertThat(log.get(0)).contains("WARN", "Channel layer unavailable", "HTTP 503", "/ws/room/\\nINFO forged line");
    // connect() never ran; the memberships the failed join may have left are discarded, best effort
    assertThat(layer.calls).startsWith("groupAdd room").doesNotContain("connect");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void layerDownDuringHandshakeWithoutDenialExtensionCloses1013WithOneWarnLine(String family) {
    layer.unavailable = true;
    WebsocketCommunicator ws = new WebsocketCommunicator(app(family), "/ws/room/");
    List<String> log = LogLines.during(() -> {
      WebsocketCommunicator.Connection c = ws.connect(Duration.ofSeconds(5));
      assertThat(c.accepted()).isFalse();
      assertThat(c.closeCode()).isEqualTo(1013);
      ws.await(Duration.ofSeconds(5));
    });
    assertThat(log).hasSize(1);
    assertThat(log.get(0)).contains("WARN", "Channel layer unavailable", "close 1013");
  }

  /** The tutorial's shape: connect() joins the room's group itself, then accepts. */
  public static class SyncTutorialRoom extends WebsocketConsumer {
    @Override
    public void connect() {
      channelLayer().sync().groupAdd("room", channelName());
      accept();
    }
  }

  /** The same, async. */
  public static class AsyncTutorialRoom extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      return channelLayer().groupAdd("room", channelName()).thenCompose(v -> accept());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void layerDownInsideConnectAlsoAnswers503WithOneWarnLine(String family) {
    layer.unavailable = true;
    Supplier<AsyncConsumer> factory = family.equals("sync") ? SyncTutorialRoom::new : AsyncTutorialRoom::new;
    Scope scope = Scope.builder(Scope.WEBSOCKET).path("/ws/room/")
        .set("extensions", Map.of("websocket.http.response", Map.of())).build();
    WebsocketCommunicator ws = new WebsocketCommunicator(AsyncConsumer.asApplication(factory), scope);
    List<String> log = LogLines.during(() -> {
      ws.sendInput(Message.of("websocket.connect"));
      Message start = ws.receiveOutput();
      assertThat(start.type()).isEqualTo("websocket.http.response.start");
      assertThat(start.getInt("status", 0)).isEqualTo(503);
      assertThat(ws.receiveOutput().type()).isEqualTo("websocket.http.response.body");
      ws.await(Duration.ofSeconds(5));
    });
    assertThat(log).hasSize(1);
    assertThat(log.get(0)).contains("WARN", "Channel layer unavailable", "HTTP 503");
  }
}
