package io.channels4j.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.testing.ApplicationCommunicator;
import io.channels4j.testing.HttpCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import io.channels4j.Scope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Consumers as users write them, driven by the communicators (no channel layer here). */
class ConsumerTest {

  public static class SyncEcho extends WebsocketConsumer {
    @Override
    public void receive(String textData, byte[] bytesData) {
      if (textData != null) {
        send("echo:" + textData);
      } else {
        send(bytesData);
      }
    }
  }

  public static class AsyncEcho extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> receive(String textData, byte[] bytesData) {
      return textData != null ? send("echo:" + textData) : send(bytesData);
    }
  }

  @Test
  void syncAndAsyncEchoTextAndBytes() {
    for (Application app : List.of(AsyncConsumer.asApplication(SyncEcho::new), AsyncConsumer.asApplication(AsyncEcho::new))) {
      WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/echo/");
      assertThat(ws.connect().accepted()).isTrue();
      ws.sendTo("hi");
      assertThat(ws.receiveFrom()).isEqualTo("echo:hi");
      ws.sendTo(new byte[] {1, 2, 3});
      assertThat(ws.receiveBytesFrom()).containsExactly(1, 2, 3);
      assertThat(ws.receiveNothing()).isTrue();
      ws.disconnect();
      assertThat(ws.isDone()).isTrue();
    }
  }

  public static class Subprotocols extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      if (scope().subprotocols().contains("chat.v2")) {
        return accept("chat.v2", List.of(Header.of("x-room", "lobby")));
      }
      return close(4003, "pick a subprotocol");
    }
  }

  @Test
  void acceptWithSubprotocolAndHeadersOrRejectWithCode() {
    Application app = AsyncConsumer.asApplication(Subprotocols::new);
    WebsocketCommunicator ok = new WebsocketCommunicator(app, "/ws/", List.of(), List.of("chat.v1", "chat.v2"));
    WebsocketCommunicator.Connection c = ok.connect();
    assertThat(c.accepted()).isTrue();
    assertThat(c.subprotocol()).contains("chat.v2");
    assertThat(ok.responseHeaders()).containsExactly(Header.of("x-room", "lobby"));

    WebsocketCommunicator no = new WebsocketCommunicator(app, "/ws/");
    WebsocketCommunicator.Connection r = no.connect();
    assertThat(r.accepted()).isFalse();
    assertThat(r.closeCode()).isEqualTo(4003);
  }

  public static class Json extends JsonWebsocketConsumer {
    @Override
    public void receiveJson(JsonNode content) {
      sendJson(Map.of("got", content));
    }
  }

  public static class AsyncJson extends AsyncJsonWebsocketConsumer {
    @Override
    public CompletionStage<Void> receiveJson(JsonNode content) {
      return sendJson(Map.of("got", content));
    }
  }

  @Test
  void jsonConsumersRoundTripAndCloseOnBadFrames() {
    for (Application app : List.of(AsyncConsumer.asApplication(Json::new), AsyncConsumer.asApplication(AsyncJson::new))) {
      WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/json/");
      assertThat(ws.connect().accepted()).isTrue();
      ws.sendJsonTo(Map.of("message", "hé 聊天"));
      assertThat(ws.receiveJsonFrom().get("got").get("message").asText()).isEqualTo("hé 聊天");

      ws.sendTo("{not json");
      WebsocketCommunicator.Close close = ws.receiveClose();
      assertThat(close.code()).isEqualTo(1007);
      assertThat(close.reason()).startsWith("invalid JSON at line 1");

      WebsocketCommunicator bin = new WebsocketCommunicator(app, "/ws/json/");
      bin.connect();
      bin.sendTo(new byte[] {1});
      assertThat(bin.receiveClose().code()).isEqualTo(1003);

      WebsocketCommunicator empty = new WebsocketCommunicator(app, "/ws/json/");
      empty.connect();
      empty.sendTo("{\"a\": 1} trailing");
      assertThat(empty.receiveClose().code()).isEqualTo(1007);
    }
  }

  public static class Exploding extends WebsocketConsumer {
    @Override
    public void receive(String textData, byte[] bytesData) {
      throw new IllegalStateException("boom");
    }
  }

  public static class AsyncExploding extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> receive(String textData, byte[] bytesData) {
      return java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("boom"));
    }
  }

  @Test
  void anExceptionInAHandlerClosesThatConnectionWith1011() {
    for (Application app : List.of(AsyncConsumer.asApplication(Exploding::new), AsyncConsumer.asApplication(AsyncExploding::new))) {
      WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/boom/");
      WebsocketCommunicator other = new WebsocketCommunicator(AsyncConsumer.asApplication(SyncEcho::new), "/ws/echo/");
      ws.connect();
      other.connect();
      ws.sendTo("x");
      assertThat(ws.receiveClose().code()).isEqualTo(1011);
      assertThatThrownBy(ws::await).cause().hasMessage("boom");
      other.sendTo("still here");
      assertThat(other.receiveFrom()).isEqualTo("echo:still here");
    }
  }

  public static class Typed extends AsyncConsumer {
    final List<String> seen = new CopyOnWriteArrayList<>();

    public void chatMessage(Message m) {
      seen.add("camel:" + m.getString("n"));
      send(Message.of("out", "n", m.getString("n")));
    }

    public void user_joined(Message m) {
      send(Message.of("out", "n", "joined " + m.getString("n")));
    }
  }

  @Test
  void dotAndUnderscoreTypesReachTheSameHandlerAndUnknownTypesFailClearly() {
    Application app = AsyncConsumer.asApplication(Typed::new);
    ApplicationCommunicator c = new ApplicationCommunicator(app, Scope.builder("custom").build());
    c.sendInput(Message.of("chat.message", "n", "1"));
    c.sendInput(Message.of("chat_message", "n", "2"));
    c.sendInput(Message.of("user.joined", "n", "ann"));
    assertThat(c.receiveOutput().getString("n")).isEqualTo("1");
    assertThat(c.receiveOutput().getString("n")).isEqualTo("2");
    assertThat(c.receiveOutput().getString("n")).isEqualTo("joined ann");
    c.sendInput(Message.of("chat.mesage"));
    assertThatThrownBy(() -> c.await())
        .isInstanceOf(AssertionError.class)
        .cause()
        .hasMessage("No handler for message type chat.mesage in consumer " + Typed.class.getName());
  }

  public static class Slow extends WebsocketConsumer {
    @Override
    public void receive(String textData, byte[] bytesData) {
      // Blocking is allowed here: a sync consumer runs on its own thread.
      if (textData.equals("1")) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      send(textData);
    }
  }

  @Test
  void eventsAreHandledOneAtATimeInArrivalOrder() {
    WebsocketCommunicator ws = new WebsocketCommunicator(AsyncConsumer.asApplication(Slow::new), "/ws/");
    ws.connect();
    for (int i = 1; i <= 20; i++) {
      ws.sendTo(Integer.toString(i));
    }
    for (int i = 1; i <= 20; i++) {
      assertThat(ws.receiveFrom()).isEqualTo(Integer.toString(i));
    }
  }

  public static class Hello extends AsyncHttpConsumer {
    @Override
    public CompletionStage<Void> handle(byte[] body) {
      String text = "hello " + new String(body, StandardCharsets.UTF_8) + " " + scope().queryString();
      return sendResponse(200, text.getBytes(StandardCharsets.UTF_8), List.of(Header.of("content-type", "text/plain")));
    }
  }

  @Test
  void httpConsumerAnswersAndFinishes() {
    HttpCommunicator http = new HttpCommunicator(AsyncConsumer.asApplication(Hello::new), "POST", "/hello/?a=1",
        "world".getBytes(StandardCharsets.UTF_8), List.of());
    HttpCommunicator.Response r = http.getResponse();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).contains("text/plain");
    assertThat(r.bodyText()).isEqualTo("hello world a=1");
    http.await();
  }

  public static class Broken extends AsyncHttpConsumer {
    @Override
    public CompletionStage<Void> handle(byte[] body) {
      throw new IllegalArgumentException("bad");
    }
  }

  @Test
  void httpConsumerExceptionAnswers500() {
    HttpCommunicator http = new HttpCommunicator(AsyncConsumer.asApplication(Broken::new), "GET", "/x/");
    assertThat(http.getResponse().status()).isEqualTo(500);
  }

  @Test
  void groupsWithoutALayerFailClearly() {
    class Grouped extends AsyncWebsocketConsumer {
      @Override
      protected List<String> groups() {
        return List.of("g");
      }
    }
    WebsocketCommunicator ws = new WebsocketCommunicator(AsyncConsumer.asApplication(Grouped::new), "/ws/");
    // The consumer fails before answering the handshake: connect() raises its error, as Channels'
    // communicator does (a server answers that handshake with 500).
    assertThatThrownBy(ws::connect)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("declares groups [g] but no channel layer is registered");
  }
}
