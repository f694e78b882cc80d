package io.channels4j.docs.tutorial;

// tag::async-consumer[]
import com.fasterxml.jackson.databind.JsonNode;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncJsonWebsocketConsumer;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The chat room, asynchronous: no thread is held while the layer works. */
public class AsyncChatConsumer extends AsyncJsonWebsocketConsumer {

  private String roomGroupName;

  @Override
  public CompletionStage<Void> connect() {
    String roomName = scope().urlRoute().kwarg("room_name").orElseThrow();
    roomGroupName = "chat_" + roomName;
    // Join room group, then accept
    return channelLayer().groupAdd(roomGroupName, channelName()).thenCompose(v -> accept());
  }

  @Override
  public CompletionStage<Void> disconnect(int code) {
    // Leave room group
    return channelLayer().groupDiscard(roomGroupName, channelName());
  }

  // Receive message from WebSocket, already parsed as JSON
  @Override
  public CompletionStage<Void> receiveJson(JsonNode content) {
    String message = content.path("message").asText();
    // Send message to room group
    return channelLayer().groupSend(roomGroupName, Message.of("chat.message", "message", message));
  }

  // Receive message from room group
  public CompletionStage<Void> chatMessage(Message event) {
    return sendJson(Map.of("message", event.getString("message")));
  }
}
// end::async-consumer[]
