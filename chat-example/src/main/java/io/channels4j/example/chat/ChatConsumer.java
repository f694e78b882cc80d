package io.channels4j.example.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.auth.User;
import io.channels4j.consumer.AsyncJsonWebsocketConsumer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The chat room socket, as in the Channels tutorial's {@code chat/consumers.py}: each connection joins
 * its room's group, every {@code {"message": "..."}} it sends goes to the whole group, and every group
 * message goes back out to the client as {@code {"message": "..."}}.
 *
 * <p>Differences from the tutorial, all about bad input: a frame that is not JSON closes with 1007 and a
 * binary frame closes with 1003 ({@link AsyncJsonWebsocketConsumer} does both); JSON without a string
 * {@code message} gets an {@code {"error": "..."}} reply and the connection stays open. Room names may be
 * anything; {@link RoomNames} turns them into group names.
 *
 * <p>A socket whose session has a display name (set with {@code POST /chat/name/}) sends {@code {"message":
 * "...", "user": "<name>"}} to the room; an anonymous one sends exactly the tutorial's {@code {"message":
 * "..."}}, so Django peers and old clients see no change.
 */
public class ChatConsumer extends AsyncJsonWebsocketConsumer {

  /** The group message type; Django's consumer sends {@code chat_message}, which reaches the same handler. */
  public static final String CHAT_MESSAGE = "chat.message";

  /** The reply to a JSON frame without a string {@code message}. */
  static final String BAD_MESSAGE_ERROR = "expected a JSON object with a string \"message\"";

  private String roomName;
  private String roomGroupName;
  private String userName;

  /** Creates the consumer of one connection; see {@link #connect()}. */
  public ChatConsumer() {}

  /** Joins the room's group, then accepts the connection. */
  @Override
  public CompletionStage<Void> connect() {
    roomName = scope().urlRoute().kwarg("room_name").orElseThrow();
    roomGroupName = RoomNames.groupName(roomName);
    // The user as the AuthMiddlewareStack found it at connect; absent when the consumer runs without one.
    if (scope().get("user").orElse(null) instanceof User user && user.isAuthenticated()) {
      userName = user.username();
    }

    // Join room group
    return channelLayer().groupAdd(roomGroupName, channelName()).thenCompose(v -> accept());
  }

  /** Leaves the room's group. */
  @Override
  public CompletionStage<Void> disconnect(int code) {
    if (roomGroupName == null) {
      return Application.done();
    }
    // Leave room group
    return channelLayer().groupDiscard(roomGroupName, channelName());
  }

  /** Receives a message from the WebSocket and sends it to the room's group. */
  @Override
  public CompletionStage<Void> receiveJson(JsonNode content) {
    JsonNode message = content.get("message");
    if (message == null || !message.isTextual()) {
      return sendJson(Collections.singletonMap("error", BAD_MESSAGE_ERROR));
    }

    // Send message to room group (recorded in its history, for SSE and long-poll clients)
    Message event = RoomPosts.chatEvent(message.textValue(), userName);
    return RoomPosts.post(channelLayer(), RoomPosts.rooms(scope()), roomGroupName, event);
  }

  /** Receives a message from the room's group and sends it to the WebSocket. */
  public CompletionStage<Void> chatMessage(Message event) {
    // A Django peer forwards whatever JSON value it was sent, so pass the value on as it is.
    if (!event.has("user")) {
      return sendJson(Collections.singletonMap("message", event.get("message")));
    }
    Map<String, Object> named = new LinkedHashMap<>();
    named.put("message", event.get("message"));
    named.put("user", event.get("user"));
    return sendJson(named);
  }

  /** The room name from the URL, once connected. */
  public String roomName() {
    return roomName;
  }
}
