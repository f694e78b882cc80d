package io.channels4j.example.chat;

import io.channels4j.Message;
import io.channels4j.consumer.ServerSentEventsConsumer;
import io.channels4j.layers.ChannelLayer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /chat/<room>/events/}: the room as server-sent events. Each chat message is one {@code
 * chat.message} event whose data is the JSON a WebSocket client gets ({@code {"message": "..."}}, with
 * {@code "user"} when the sender had a display name) and whose id is its place in the room's history, so
 * a reconnecting {@code EventSource} (which sends {@code Last-Event-ID}) gets what it missed first.
 */
public class RoomEventsConsumer extends ServerSentEventsConsumer {

  /** Creates the consumer of one request. */
  public RoomEventsConsumer() {}

  /** The room's group, as {@link ChatConsumer} joins it. */
  @Override
  protected String group() {
    return RoomNames.groupName(scope().urlRoute().kwarg("room_name").orElseThrow());
  }

  /** A chat message (either spelling of its type) as the WebSocket's JSON; anything else is skipped. */
  @Override
  protected Event toEvent(Message message) {
    if (!message.type().equals(ChatConsumer.CHAT_MESSAGE) && !message.type().equals("chat_message")) {
      return null;
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("message", message.get("message"));
    if (message.has("user")) {
      data.put("user", message.get("user"));
    }
    return new Event(message.getString(ChannelLayer.HISTORY_ID), ChatConsumer.CHAT_MESSAGE, RoomMessagesConsumer.json(data));
  }
}
