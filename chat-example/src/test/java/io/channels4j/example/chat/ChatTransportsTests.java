package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.channels4j.example.chat.HttpRoomClient.Event;
import io.channels4j.example.chat.HttpRoomClient.EventStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The room's HTTP transports over real connections to a running chat server, on one layer (a subclass
 * per layer): server-sent events arrive one by one, long polling misses nothing across polls, a
 * reconnecting event stream gets exactly what it missed, and a room mixing a WebSocket, an event stream
 * and a long-poll client delivers every message to each once, in order.
 */
abstract class ChatTransportsTests {

  protected ChatServer server;
  protected HttpClient http;

  /** Extra server flags of the layer under test (e.g. {@code --layer redis}). */
  protected abstract List<String> layerFlags();

  @BeforeEach
  void startServer() {
    List<String> args = new ArrayList<>(List.of("--port", "0"));
    args.addAll(layerFlags());
    server = ChatServer.start(ChatOptions.parse(args.toArray(String[]::new), Map.of()));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WsClient.TIMEOUT).build();
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private HttpRoomClient room(String name) {
    return new HttpRoomClient(http, server.port(), name);
  }

  private WsClient socket(HttpRoomClient room) {
    return WsClient.connect(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws" + room.roomPath()),
        "http://127.0.0.1:" + server.port());
  }

  @Test
  void eventsArriveOneByOneAsTheyAreSent() throws Exception {
    HttpRoomClient room = room("sse_one_by_one");
    try (EventStream events = room.events(null)) {
      long previous = 0;
      for (int i = 1; i <= 5; i++) {
        assertThat(room.post("message " + i)).isEqualTo(202);
        // The next message is sent only once this one has arrived: nothing waits for the end of the response.
        Event e = events.next();
        assertThat(e.event()).isEqualTo("chat.message");
        assertThat(HttpRoomClient.JSON.readTree(e.data())).isEqualTo(HttpRoomClient.JSON.readTree(
            "{\"message\": \"message " + i + "\"}"));
        assertThat(Long.parseLong(e.id())).isGreaterThan(previous);
        previous = Long.parseLong(e.id());
      }
    }
  }

  @Test
  void aLongPollClientReceivesEveryMessageInOrderAcrossPolls() throws Exception {
    HttpRoomClient room = room("poll_in_order");
    JsonNode start = room.poll(null, null);
    assertThat(start.get("messages")).isEmpty();
    String cursor = start.get("cursor").asText();

    // A waiting poll returns as soon as a message comes.
    CompletableFuture<HttpResponse<String>> waiting = room.pollAsync(cursor, "30");
    assertThat(room.post("first")).isEqualTo(202);
    JsonNode woken = HttpRoomClient.JSON.readTree(waiting.get(10, TimeUnit.SECONDS).body());
    assertThat(woken.get("messages")).hasSize(1);
    assertThat(woken.get("messages").get(0).get("message").asText()).isEqualTo("first");
    assertThat(woken.get("messages").get(0).get("id").asText()).isEqualTo(woken.get("cursor").asText());

    // Many messages while the client polls: every one, once, in order.
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      sent.add("burst " + i);
    }
    CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
      for (String s : sent) {
        try {
          assertThat(room.post(s)).isEqualTo(202);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    });
    List<String> cursors = new ArrayList<>();
    assertThat(room.pollUntil(woken.get("cursor").asText(), sent.size(), cursors)).containsExactlyElementsOf(sent);
    sender.get(20, TimeUnit.SECONDS);

    // Nothing newer: a short poll times out empty, keeping the position.
    JsonNode idle = room.poll(cursors.get(0), "0.2");
    assertThat(idle.get("messages")).isEmpty();
    assertThat(idle.get("cursor").asText()).isEqualTo(cursors.get(0));
    assertThat(idle.get("gap").asBoolean()).isFalse();
  }

  @Test
  void aReconnectingEventStreamGetsExactlyWhatItMissed() throws Exception {
    HttpRoomClient room = room("sse_reconnect");
    String lastSeen;
    try (EventStream events = room.events(null)) {
      room.post("a");
      room.post("b");
      assertThat(events.next().message()).isEqualTo("a");
      Event b = events.next();
      assertThat(b.message()).isEqualTo("b");
      lastSeen = b.id();
    }
    for (String s : List.of("c", "d", "e")) {
      assertThat(room.post(s)).isEqualTo(202);
    }
    try (EventStream events = room.events(lastSeen)) {
      List<String> replayed = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Event e = events.next();
        replayed.add(e.message());
        ids.add(Long.parseLong(e.id()));
      }
      assertThat(replayed).containsExactly("c", "d", "e");
      long last = Long.parseLong(lastSeen);
      assertThat(ids).containsExactly(last + 1, last + 2, last + 3);
      // Then live, with nothing repeated in between.
      room.post("f");
      Event f = events.next();
      assertThat(f.message()).isEqualTo("f");
      assertThat(Long.parseLong(f.id())).isEqualTo(last + 4);
    }
  }

  @Test
  void aMixedRoomDeliversEveryMessageToEveryClientOnceInOrder() throws Exception {
    HttpRoomClient room = room("mixed_room");
    String cursor = room.poll(null, null).get("cursor").asText();
    try (WsClient ws = socket(room); EventStream sse = room.events(null)) {
      ws.sendText(HttpRoomClient.JSON.writeValueAsString(Map.of("message", "from websocket")));
      assertThat(HttpRoomClient.JSON.readTree(ws.nextText()).get("message").asText()).isEqualTo("from websocket");
      assertThat(sse.next().message()).isEqualTo("from websocket");
      assertThat(room.post("from sse client")).isEqualTo(202);
      assertThat(room.post("from poll client")).isEqualTo(202);
      List<String> expected = List.of("from websocket", "from sse client", "from poll client");

      List<String> onWs = new ArrayList<>(List.of("from websocket"));
      onWs.add(HttpRoomClient.JSON.readTree(ws.nextText()).get("message").asText());
      onWs.add(HttpRoomClient.JSON.readTree(ws.nextText()).get("message").asText());
      List<String> onSse = new ArrayList<>(List.of("from websocket"));
      onSse.add(sse.next().message());
      onSse.add(sse.next().message());
      List<String> cursors = new ArrayList<>();
      List<String> onPoll = room.pollUntil(cursor, 3, cursors);
      assertThat(onWs).containsExactlyElementsOf(expected);
      assertThat(onSse).containsExactlyElementsOf(expected);
      assertThat(onPoll).containsExactlyElementsOf(expected);

      // Once: a marker is the next thing every client gets.
      assertThat(room.post("marker")).isEqualTo(202);
      assertThat(HttpRoomClient.JSON.readTree(ws.nextText()).get("message").asText()).isEqualTo("marker");
      assertThat(sse.next().message()).isEqualTo("marker");
      assertThat(room.pollUntil(cursors.get(0), 1, new ArrayList<>())).containsExactly("marker");
    }
  }

  @Test
  void postsAreCheckedLikeAWebSocket() throws Exception {
    HttpRoomClient room = room("post_checks");
    String origin = "http://127.0.0.1:" + server.port();
    assertThat(room.post("{\"message\": \"ok\"}", "application/json; charset=utf-8", origin).statusCode()).isEqualTo(202);
    assertThat(room.post("{\"message\": \"ok\"}", "text/plain", origin).statusCode()).isEqualTo(415);
    assertThat(room.post("{not json", "application/json", origin).statusCode()).isEqualTo(400);
    assertThat(room.post("{\"message\": 42}", "application/json", origin).statusCode()).isEqualTo(400);
    assertThat(room.post("{\"message\": \"x\"}", "application/json", "http://evil.example").statusCode()).isEqualTo(403);
    JsonNode history = room.poll("0", "0");
    assertThat(history.get("messages")).extracting(m -> m.get("message").asText()).containsExactly("ok");
    HttpResponse<String> badTimeout = room.pollAsync("0", "soon").get(10, TimeUnit.SECONDS);
    assertThat(badTimeout.statusCode()).isEqualTo(400);
  }
}
