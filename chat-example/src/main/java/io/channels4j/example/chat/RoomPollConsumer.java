package io.channels4j.example.chat;

import io.channels4j.consumer.LongPollConsumer;

/**
 * {@code GET /chat/<room>/poll/?after=<cursor>&timeout=<seconds>}: the room by long polling. Answers
 * {@code {"messages": [{"id": "...", "message": "..."}, ...], "cursor": "...", "gap": false}} as {@link
 * LongPollConsumer} describes: at once when the room has something after {@code after}, else after the
 * next message or {@code timeout} seconds (default 25, at most 60). Needs the room's history ({@code
 * --history}, on by default).
 */
public class RoomPollConsumer extends LongPollConsumer {

  /** Creates the consumer of one request. */
  public RoomPollConsumer() {}

  /** The room's group, as {@link ChatConsumer} joins it. */
  @Override
  protected String group() {
    return RoomNames.groupName(scope().urlRoute().kwarg("room_name").orElseThrow());
  }
}
