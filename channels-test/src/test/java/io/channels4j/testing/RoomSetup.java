package io.channels4j.testing;

import static io.channels4j.routing.Routes.path;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.routing.URLRouter;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Serves one room: a socket joins group {@code room}; what it sends goes to the group; group messages go out. */
public final class RoomSetup implements LiveServerSetup {

  /** The group every socket joins. */
  static final String GROUP = "room";

  /** Joins {@link #GROUP}; relays text to it and {@code room.say} events back to the client. */
  public static final class RoomConsumer extends AsyncWebsocketConsumer {
    @Override
    protected List<String> groups() {
      return List.of(GROUP);
    }

    @Override
    public CompletionStage<Void> receive(String text, byte[] bytes) {
      return channelLayer().groupSend(GROUP, Message.of("room.say", "text", text));
    }

    /** Handles {@code room.say}. */
    public CompletionStage<Void> roomSay(Message event) {
      return send(event.getString("text"));
    }
  }

  @Override
  public Application application() {
    return URLRouter.of(path("ws/room/", RoomConsumer::new));
  }
}
