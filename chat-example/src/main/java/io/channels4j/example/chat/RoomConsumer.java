package io.channels4j.example.chat;

import io.channels4j.consumer.AsyncHttpConsumer;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /chat/<room>/}: the room page (the tutorial's {@code views.room}). The room name goes into
 * the page as JSON in a script element, escaped as Django's {@code json_script} does, so any name is safe.
 */
public class RoomConsumer extends AsyncHttpConsumer {

  /** Creates the consumer of one request. */
  public RoomConsumer() {}

  /** Sends the room page for the {@code room_name} the router captured. */
  @Override
  public CompletionStage<Void> handle(byte[] body) {
    String roomName = scope().urlRoute().kwarg("room_name").orElseThrow();
    return Pages.respond(this, Pages.room(roomName));
  }
}
