package io.channels4j.example.chat;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.routing.ChannelNameRouter;
import io.channels4j.routing.ProtocolTypeRouter;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The stats worker: a separate process that counts the messages of every room and answers {@code
 * /stats} typed in a room, to that room. Servers started with {@code --stats} report each message to
 * the channel {@value #CHANNEL}; run the worker with the library's {@code runworker} command over the
 * same Redis:
 *
 * <pre>{@code
 * java -cp chat-example.jar io.channels4j.worker.Worker --channels chat-stats \
 *     --application io.channels4j.example.chat.StatsWorker \
 *     --layer io.channels4j.redis.RedisLayerFactory --layer-option host=redis://127.0.0.1:6379/0
 * }</pre>
 *
 * <p>The answer is a chat message from the user {@code stats}, recorded in the room's history like any
 * other ({@code CHAT_HISTORY} messages, default 100, as the servers' {@code --history}). Counts live in
 * the worker process: they start at 0 when it starts.
 */
public final class StatsWorker implements Supplier<Application> {

  /** The channel servers report messages to. */
  public static final String CHANNEL = "chat-stats";
  /** The text that asks for the room's count. */
  public static final String COMMAND = "/stats";
  /** The user name the answers come from. */
  public static final String USER = "stats";

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final int history;

  /** A worker whose answers keep {@code CHAT_HISTORY} messages of history (default 100). */
  public StatsWorker() {
    this(parseHistory(System.getenv("CHAT_HISTORY")));
  }

  /** A worker whose answers are recorded in rooms keeping {@code history} messages (0: not recorded). */
  public StatsWorker(int history) {
    this.history = history;
  }

  private static int parseHistory(String value) {
    try {
      return value == null ? ChatApplication.Rooms.DEFAULT_HISTORY : Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return ChatApplication.Rooms.DEFAULT_HISTORY;
    }
  }

  /** The application the worker runs: {@value #CHANNEL} routed to a {@link Counter}. */
  @Override
  public Application get() {
    return ProtocolTypeRouter.builder()
        .channel(ChannelNameRouter.of(Map.of(CHANNEL, AsyncConsumer.asApplication(Counter::new))))
        .build();
  }

  /** The answer to {@code /stats} in a room that has seen {@code count} messages. */
  static String answer(long count) {
    return count + (count == 1 ? " message" : " messages") + " in this room since the stats worker started";
  }

  /** Counts one room's messages; answers {@code /stats}. One instance serves the channel, in order. */
  public final class Counter extends AsyncConsumer {

    /** Creates the channel's consumer. */
    public Counter() {}

    /** A message was posted to {@code group}: counts it; if it is {@code /stats}, answers the room. */
    public CompletionStage<Void> statsCount(Message report) {
      String group = report.getString("group");
      long count = counts.computeIfAbsent(group, g -> new AtomicLong()).incrementAndGet();
      if (!(report.get("message") instanceof String text) || !text.strip().equals(COMMAND)) {
        return Application.done();
      }
      return RoomPosts.send(channelLayer(), history, group, RoomPosts.chatEvent(answer(count), USER));
    }
  }
}
