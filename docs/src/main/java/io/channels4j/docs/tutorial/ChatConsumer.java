package io.channels4j.docs.tutorial;

// tag::consumer[]
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.Message;
import io.channels4j.consumer.WebsocketConsumer;
import io.channels4j.layers.BlockingChannelLayer;
import java.io.UncheckedIOException;
import java.util.Map;

/** The chat room, in blocking style: each handler runs off the I/O thread, one event at a time. */
public class ChatConsumer extends WebsocketConsumer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private String roomGroupName;

  @Override
  public void connect() {
    String roomName = scope().urlRoute().kwarg("room_name").orElseThrow();
    roomGroupName = "chat_" + roomName;
    // Join room group
    layer().groupAdd(roomGroupName, channelName());
    accept();
  }

  @Override
  public void disconnect(int code) {
    // Leave room group
    layer().groupDiscard(roomGroupName, channelName());
  }

  // Receive message from WebSocket
  @Override
  public void receive(String textData, byte[] bytesData) {
    String message = read(textData).path("message").asText();
    // Send message to room group
    layer().groupSend(roomGroupName, Message.of("chat.message", "message", message));
  }

  // Receive message from room group: type "chat.message" reaches chatMessage
  public void chatMessage(Message event) {
    send(write(Map.of("message", event.getString("message"))));
  }

  private BlockingChannelLayer layer() {
    return channelLayer().sync();
  }

  private static JsonNode read(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
// end::consumer[]
