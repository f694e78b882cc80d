package io.channels4j.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.ChannelsException;
import io.channels4j.Message;
import io.channels4j.Scope;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.middleware.OriginValidator;
import io.channels4j.testing.ApplicationCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Channels' conveniences, under the communicators: what a consumer ported from Channels relies on. */
class ChannelsConveniencesTest {

  private ScriptedLayer layer;

  @BeforeEach
  void registerLayer() {
    layer = new ScriptedLayer();
    ChannelLayers.set(ChannelLayers.DEFAULT, layer);
  }

  @AfterEach
  void removeLayer() {
    ChannelLayers.remove(ChannelLayers.DEFAULT);
    layer.close();
  }

  /** connect() answers by what the query string says, with Channels' exceptions or a plain failure. */
  public static final class AsyncByQuery extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      return switch (scope().queryString()) {
        case "accept" -> throw new ChannelsException.AcceptConnection();
        case "deny" -> throw new ChannelsException.DenyConnection();
        case "deny-later" -> CompletableFuture.failedFuture(new ChannelsException.DenyConnection("not you"));
        default -> throw new IllegalStateException("connect failed on purpose");
      };
    }
  }

  /** The same, sync. */
  public static final class SyncByQuery extends WebsocketConsumer {
    @Override
    public void connect() {
      switch (scope().queryString()) {
        case "accept", "deny-later" -> throw scope().queryString().equals("accept")
            ? new ChannelsException.AcceptConnection() : new ChannelsException.DenyConnection("not you");
        case "deny" -> throw new ChannelsException.DenyConnection();
        default -> throw new IllegalStateException("connect failed on purpose");
      }
    }
  }

  private static Application byQuery(String family) {
    return family.equals("sync") ? AsyncConsumer.asApplication(SyncByQuery::new)
        : AsyncConsumer.asApplication(AsyncByQuery::new);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void acceptAndDenyConnectionAnswerTheHandshake(String family) {
    WebsocketCommunicator accepted = new WebsocketCommunicator(byQuery(family), "/ws/?accept");
    assertThat(accepted.connect().accepted()).isTrue();
    accepted.disconnect();
    for (String deny : List.of("deny", "deny-later")) {
      WebsocketCommunicator denied = new WebsocketCommunicator(byQuery(family), "/ws/?" + deny);
      WebsocketCommunicator.Connection c = denied.connect();
      assertThat(c.accepted()).as(deny).isFalse();
      assertThat(c.closeCode()).as(deny).isEqualTo(1000); // an explicit close(): the server answers 403
      denied.disconnect();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async"})
  void anExceptionInConnectIsRaisedByTheCommunicatorAndNothingIsSent(String family) {
    WebsocketCommunicator ws = new WebsocketCommunicator(byQuery(family), "/ws/?fail");
    // As in Channels, connect() raises the application's error; no close 1011 went out first (which a
    // server would have turned into a 403), so the server answers the handshake with 500.
    assertThatThrownBy(ws::connect).isInstanceOf(IllegalStateException.class).hasMessage("connect failed on purpose");
    assertThat(ws.isDone()).isTrue();
  }

  /** Sends and closes in one call, text, bytes and JSON, in both families. */
  public static final class SendAndClose extends AsyncJsonWebsocketConsumer {
    @Override
    public CompletionStage<Void> receiveJson(com.fasterxml.jackson.databind.JsonNode content) {
      return switch (content.get("how").asText()) {
        case "text" -> send("bye", true);
        case "bytes" -> send(new byte[] {1, 2}, true);
        case "keep" -> send("still here", false);
        default -> sendJson(Map.of("last", true), true);
      };
    }
  }

  /** The sync JSON consumer's sendJson(content, close). */
  public static final class SyncSendAndClose extends JsonWebsocketConsumer {
    @Override
    public void receiveJson(com.fasterxml.jackson.databind.JsonNode content) {
      sendJson(Map.of("last", true), true);
    }
  }

  @Test
  void sendWithCloseSendsTheFrameThenCloses1000() {
    Application app = AsyncConsumer.asApplication(SendAndClose::new);
    for (String how : List.of("text", "bytes", "json")) {
      WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/");
      ws.connect();
      ws.sendJsonTo(Map.of("how", how));
      switch (how) {
        case "text" -> assertThat(ws.receiveFrom()).isEqualTo("bye");
        case "bytes" -> assertThat(ws.receiveBytesFrom()).containsExactly(1, 2);
        default -> assertThat(ws.receiveJsonFrom().get("last").asBoolean()).isTrue();
      }
      assertThat(ws.receiveClose().code()).isEqualTo(1000);
      ws.disconnect();
    }
    WebsocketCommunicator keep = new WebsocketCommunicator(app, "/ws/");
    keep.connect();
    keep.sendJsonTo(Map.of("how", "keep"));
    assertThat(keep.receiveFrom()).isEqualTo("still here");
    assertThat(keep.receiveNothing()).isTrue();
    keep.disconnect();

    WebsocketCommunicator sync = new WebsocketCommunicator(AsyncConsumer.asApplication(SyncSendAndClose::new), "/ws/");
    sync.connect();
    sync.sendJsonTo(Map.of("how", "json"));
    assertThat(sync.receiveJsonFrom().get("last").asBoolean()).isTrue();
    assertThat(sync.receiveClose().code()).isEqualTo(1000);
    sync.disconnect();
  }

  /** Overrides dispatch: sees every event and swallows the ones of type "secret.*". */
  public static final class Intercepting extends AsyncWebsocketConsumer {
    final List<String> seen = new CopyOnWriteArrayList<>();

    @Override
    protected CompletionStage<Void> dispatch(Message message) {
      seen.add(message.type());
      if (message.type().startsWith("secret.")) {
        return send("intercepted " + message.type());
      }
      return super.dispatch(message);
    }

    @Override
    public CompletionStage<Void> receive(String text, byte[] bytes) {
      return send("echo " + text);
    }
  }

  @Test
  void anOverriddenDispatchSeesEveryEventAndCanIntercept() {
    Intercepting consumer = new Intercepting();
    WebsocketCommunicator ws = new WebsocketCommunicator(AsyncConsumer.asApplication(() -> consumer), "/ws/");
    ws.connect();
    ws.sendTo("hi");
    assertThat(ws.receiveFrom()).isEqualTo("echo hi");
    // a layer message with no handler would fail the consumer; the override answers it instead
    layer.send(consumer.channelName(), Message.of("secret.note")).toCompletableFuture().join();
    assertThat(ws.receiveFrom()).isEqualTo("intercepted secret.note");
    ws.disconnect();
    assertThat(consumer.seen)
        .containsExactly("websocket.connect", "websocket.receive", "secret.note", "websocket.disconnect");
  }

  @ParameterizedTest
  @ValueSource(strings = {"dispatch", "deliver", "send"})
  void theMachineryIsNoHandler(String type) {
    ApplicationCommunicator c = new ApplicationCommunicator(
        AsyncConsumer.asApplication(PlainSync::new), Scope.builder("custom").build());
    c.sendInput(Message.of(type));
    assertThatThrownBy(c::await).isInstanceOf(AssertionError.class).cause()
        .hasMessage("No handler for message type " + type + " in consumer " + PlainSync.class.getName());
  }

  /** A plain SyncConsumer: send(...) blocks and throws the server's failure, as Channels' sync send raises. */
  public static final class PlainSync extends SyncConsumer {
    final CompletableFuture<String> outcome = new CompletableFuture<>();

    public void ping(Message m) {
      try {
        CompletionStage<Void> stage = send(Message.of("pong"));
        outcome.complete("sent, stage done: " + stage.toCompletableFuture().isDone());
      } catch (IllegalStateException e) {
        outcome.complete("threw " + e.getMessage());
      }
    }
  }

  @Test
  void aSyncConsumersSendBlocksUntilTheServerTookTheEventAndThrowsItsFailure() throws Exception {
    CompletableFuture<Void> serverTakes = new CompletableFuture<>();
    List<Message> sent = new CopyOnWriteArrayList<>();
    PlainSync ok = new PlainSync();
    CompletableFuture<Message> first = new CompletableFuture<>();
    AsyncConsumer.asApplication(() -> ok).handle(Scope.builder("custom").build(),
        () -> first.isDone() ? new CompletableFuture<>() : first,
        m -> {
          sent.add(m);
          return serverTakes;
        });
    first.complete(Message.of("ping"));
    // the handler is inside send() until the server takes the event
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
    assertThat(ok.outcome).isNotDone();
    serverTakes.complete(null);
    assertThat(ok.outcome.get(5, TimeUnit.SECONDS)).isEqualTo("sent, stage done: true");

    PlainSync failing = new PlainSync();
    CompletableFuture<Message> ping = CompletableFuture.completedFuture(Message.of("ping"));
    AsyncConsumer.asApplication(() -> failing).handle(Scope.builder("custom").build(),
        () -> failing.outcome.isDone() ? new CompletableFuture<>() : ping,
        m -> CompletableFuture.failedFuture(new IllegalStateException("server refused")));
    assertThat(failing.outcome.get(5, TimeUnit.SECONDS)).isEqualTo("threw server refused");
  }

  /** Hands blocking work off with blocking(...); the executor comes from executor(). */
  public static class Blocking extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> receive(String text, byte[] bytes) {
      Thread handler = Thread.currentThread();
      if (text.equals("checked")) {
        return blocking(() -> {
          throw new IOException("disk on fire");
        }).handle((v, e) -> e).thenCompose(e -> send(e.getClass().getSimpleName() + ": " + e.getMessage()));
      }
      return blocking(() -> Thread.currentThread() == handler ? "same thread" : Thread.currentThread().getName())
          .thenCompose(name -> send(name));
    }
  }

  @Test
  void blockingRunsOffTheHandlersThreadOnTheInjectableExecutor() {
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "db-pool-1"));
    try {
      class Pooled extends Blocking {
        @Override
        protected Executor executor() {
          return pool;
        }
      }
      WebsocketCommunicator ws = new WebsocketCommunicator(AsyncConsumer.asApplication(Pooled::new), "/ws/");
      ws.connect();
      ws.sendTo("who");
      assertThat(ws.receiveFrom()).isEqualTo("db-pool-1");
      ws.sendTo("checked");
      assertThat(ws.receiveFrom()).isEqualTo("IOException: disk on fire");
      ws.disconnect();
    } finally {
      pool.shutdownNow();
    }
    // the default executor: not the handler's thread either
    WebsocketCommunicator ws = new WebsocketCommunicator(AsyncConsumer.asApplication(Blocking::new), "/ws/");
    ws.connect();
    ws.sendTo("who");
    assertThat(ws.receiveFrom()).isNotEqualTo("same thread");
    ws.disconnect();
    // the static form, for code outside consumers
    assertThat(AsyncConsumer.blocking(() -> 42, null).toCompletableFuture().join()).isEqualTo(42);
  }

  /** Stops itself with Channels' StopConsumer from a handler. */
  public static final class Stopping extends AsyncConsumer {
    public void halt(Message m) {
      throw new ChannelsException.StopConsumer();
    }
  }

  @Test
  void stopConsumerEndsTheConsumerWithoutAnError() {
    ApplicationCommunicator c = new ApplicationCommunicator(
        AsyncConsumer.asApplication(Stopping::new), Scope.builder("custom").build());
    c.sendInput(Message.of("halt"));
    c.await(); // finished, not failed
    assertThat(c.receiveNothing()).isTrue();
  }

  /** In group "room"; records disconnect. */
  public static final class Member extends AsyncWebsocketConsumer {
    final List<String> calls;

    Member(List<String> calls) {
      this.calls = calls;
    }

    @Override
    protected List<String> groups() {
      return List.of("room");
    }

    @Override
    public CompletionStage<Void> disconnect(int code) {
      calls.add("disconnect " + code);
      return Application.done();
    }
  }

  @Test
  void closingTheCommunicatorRunsDisconnectAndLeavesTheGroups() {
    try (WebsocketCommunicator ws = new WebsocketCommunicator(
        AsyncConsumer.asApplication(() -> new Member(layer.calls)), "/ws/")) {
      assertThat(ws.connect().accepted()).isTrue();
    }
    assertThat(layer.calls).containsExactly("groupAdd room", "groupDiscard room", "discarded room", "disconnect 1000");
    layer.calls.clear();
    WebsocketCommunicator ws = new WebsocketCommunicator(AsyncConsumer.asApplication(() -> new Member(layer.calls)), "/ws/");
    ws.connect();
    ws.disconnect();
    assertThat(layer.calls).containsExactly("groupAdd room", "groupDiscard room", "discarded room", "disconnect 1000");
    assertThat(ws.isDone()).isTrue();
  }

  @Test
  void theDenierRejectsEveryHandshake() {
    WebsocketCommunicator ws = new WebsocketCommunicator(new OriginValidator.WebsocketDenier(), "/ws/");
    WebsocketCommunicator.Connection c = ws.connect();
    assertThat(c.accepted()).isFalse();
    assertThat(c.closeCode()).isEqualTo(1000);
    ws.await();
  }

  @Test
  void theScopeTellsSpecVersionAndExtensions() {
    Scope communicator = new WebsocketCommunicator(new OriginValidator.WebsocketDenier(), "/ws/").scope();
    assertThat(communicator.specVersion()).isEqualTo("2.4");
    assertThat(communicator.extensions()).isEmpty();
    assertThat(Scope.builder("websocket").build().specVersion()).isEqualTo("2.0"); // ASGI: absent means 2.0
    assertThat(Scope.builder("websocket").set("spec_version", "2.3").build().specVersion()).isEqualTo("2.3");
    assertThat(Scope.builder("websocket").set("extensions", Map.of("websocket.http.response", Map.of())).build()
        .extensions()).containsOnlyKeys("websocket.http.response");
  }
}
