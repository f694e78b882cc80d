package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The room's HTTP transports on the in-memory layer, plus what a short history does to old cursors. */
class ChatTransportsInMemoryTest extends ChatTransportsTests {

  @Override
  protected List<String> layerFlags() {
    return List.of();
  }

  @Test
  void aCursorOlderThanTheHistorySaysSoAndTheStreamSaysSo() throws Exception {
    try (ChatServer small = ChatServer.start(ChatOptions.parse(new String[] {"--port", "0", "--history", "2"}, Map.of()))) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRoomClient room = new HttpRoomClient(client, small.port(), "short_history");
      for (String s : List.of("1", "2", "3", "4", "5")) {
        assertThat(room.post(s)).isEqualTo(202);
      }
      JsonNode answer = room.poll("1", "0");
      assertThat(answer.get("gap").asBoolean()).isTrue();
      assertThat(answer.get("messages")).extracting(m -> m.get("message").asText()).containsExactly("4", "5");
      JsonNode inWindow = room.poll("3", "0");
      assertThat(inWindow.get("gap").asBoolean()).isFalse();
      try (HttpRoomClient.EventStream events = room.events("1")) {
        assertThat(events.next().event()).isEqualTo("gap");
        assertThat(events.next().message()).isEqualTo("4");
        assertThat(events.next().message()).isEqualTo("5");
      }
    }
  }

  @Test
  void withoutHistoryTheStreamIsLiveOnly() throws Exception {
    try (ChatServer none = ChatServer.start(ChatOptions.parse(new String[] {"--port", "0", "--history", "0"}, Map.of()))) {
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRoomClient room = new HttpRoomClient(client, none.port(), "no_history");
      try (HttpRoomClient.EventStream events = room.events(null)) {
        assertThat(room.post("live")).isEqualTo(202);
        HttpRoomClient.Event e = events.next();
        assertThat(e.message()).isEqualTo("live");
        assertThat(e.id()).isNull();
      }
      assertThat(room.poll("0", "0").get("messages")).isEmpty();
    }
  }
}
