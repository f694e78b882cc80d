package io.channels4j.example.chat;

import io.channels4j.Message;
import io.channels4j.Scope;
import io.channels4j.example.chat.ChatApplication.Rooms;
import io.channels4j.internal.LogText;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayer.HistoryLimits;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a chat message reaches a room, whichever transport it came from (WebSocket, POST, the stats
 * worker): recorded in the room's history when it keeps one (so SSE and long-poll clients can catch
 * up), sent to the room's group, and reported to the stats worker if there is one.
 */
final class RoomPosts {

  private static final Logger LOG = LoggerFactory.getLogger(RoomPosts.class);

  /** Where {@link ChatApplication} puts the {@link Rooms} settings in every scope. */
  static final String ROOMS_KEY = "chat.rooms";
  /** The stats worker's request type: one per posted message. */
  static final String STATS_COUNT = "stats.count";

  private RoomPosts() {}

  /** The rooms settings of {@code scope}; the defaults when the consumer runs outside {@link ChatApplication}. */
  static Rooms rooms(Scope scope) {
    return scope.get(ROOMS_KEY).orElse(null) instanceof Rooms r ? r : Rooms.defaults();
  }

  /** The chat event a client's text becomes: the tutorial's, plus the user when there is one. */
  static Message chatEvent(String text, String userName) {
    return userName == null
        ? Message.of(ChatConsumer.CHAT_MESSAGE, "message", text)
        : Message.of(ChatConsumer.CHAT_MESSAGE, "message", text, "user", userName);
  }

  /** Sends {@code event} to the room's group, recorded if the room keeps history; then reports it. */
  static CompletionStage<Void> post(ChannelLayer layer, Rooms rooms, String group, Message event) {
    CompletionStage<Void> sent = send(layer, rooms.history(), group, event);
    if (rooms.statsChannel() == null) {
      return sent;
    }
    return sent.thenRun(() -> layer.send(rooms.statsChannel(),
        Message.of(STATS_COUNT, "group", group, "message", event.get("message"))).whenComplete((v, e) -> {
          if (e != null) {
            LOG.warn("Stats report for {} not sent: {}", LogText.escape(group), LogText.escape(e.toString()));
          }
        }));
  }

  /** A recorded group send when {@code history} is above 0, else a plain one. */
  static CompletionStage<Void> send(ChannelLayer layer, int history, String group, Message event) {
    return history > 0
        ? layer.groupSendRecorded(group, event, HistoryLimits.lastMessages(history)).thenApply(id -> null)
        : layer.groupSend(group, event);
  }
}
