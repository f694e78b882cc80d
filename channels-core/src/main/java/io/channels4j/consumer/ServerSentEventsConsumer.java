package io.channels4j.consumer;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayer.HistoryEntry;
import io.channels4j.layers.ChannelLayer.HistoryPage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/**
 * A server-sent events stream ({@code text/event-stream}) of one group's messages: the HTTP side of a
 * room, for browsers' {@code EventSource}, proxies that block WebSocket, and {@code curl}.
 *
 * <pre>{@code
 * public class RoomEvents extends ServerSentEventsConsumer {
 *   protected String group() { return "chat_" + scope().urlRoute().kwarg("room").orElseThrow(); }
 * }
 * // routes: path("chat/<str:room>/events/", RoomEvents::new)
 * }</pre>
 *
 * <p>On connect the consumer joins {@link #group()} and answers 200 at once. Each group message becomes
 * one event, written and flushed as it arrives: {@code id} is the message's history id (see {@link
 * ChannelLayer#groupSendRecorded}; none for unrecorded messages), {@code event} its type, {@code data} the
 * JSON of its other fields ({@link #toEvent} decides). A comment line is sent every {@link #keepAlive()}
 * (15 s by default) so proxies keep the connection open. The consumer leaves the group when the client
 * goes away.
 *
 * <p><b>Reconnecting.</b> A request with {@code Last-Event-ID} first gets, in id order, every message the
 * group recorded after that id that is still in its history, then live messages. Recorded messages are
 * always written in id order without repeats: a live message whose id is not the next one makes the
 * consumer read the history it skipped. If messages after the client's position were already trimmed
 * from the history, a {@code gap} event (data {@code {"after": "<id>"}}) says so before the ones kept.
 * Needs a layer with history ({@link ChannelLayer#supportsHistory()}); without one, events carry no ids
 * and a reconnecting client gets only live messages, after a {@code gap} event.
 *
 * <p>Handlers of other types are not called: every non-HTTP event on the consumer's channel is a group
 * message for the stream.
 */
public abstract class ServerSentEventsConsumer extends AsyncHttpConsumer {

  /** The default interval between keep-alive comments. */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
  /** The event type of the keep-alive timer (posted to the consumer's own channel). */
  static final String KEEP_ALIVE = "sse.keepalive";

  private String group;
  private long lastId = -1;
  private boolean streaming;
  private ScheduledFuture<?> keepAliveTimer;

  /** Creates the consumer of one request. */
  protected ServerSentEventsConsumer() {}

  /**
   * One server-sent event.
   *
   * @param id the event id (null for none)
   * @param event the event name (null for the default, {@code message})
   * @param data the data, one {@code data:} line per line of it
   */
  public record Event(String id, String event, String data) {
    /**
     * Checks the parts: the id and name must be single lines.
     *
     * @param id the event id, one line; null for none
     * @param event the event name, one line; null for the default
     * @param data the data, not null; may span lines
     * @throws IllegalArgumentException if {@code id} or {@code event} contains a line break
     */
    public Event {
      Objects.requireNonNull(data, "data");
      if (id != null && (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0)) {
        throw new IllegalArgumentException("an event id must be one line");
      }
      if (event != null && (event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0)) {
        throw new IllegalArgumentException("an event name must be one line");
      }
    }

    /** {@return the event as written to the stream, ending with its blank line} */
    public String encode() {
      StringBuilder out = new StringBuilder();
      if (id != null) {
        out.append("id: ").append(id).append('\n');
      }
      if (event != null) {
        out.append("event: ").append(event).append('\n');
      }
      for (String line : data.split("\r\n|\r|\n", -1)) {
        out.append("data: ").append(line).append('\n');
      }
      return out.append('\n').toString();
    }
  }

  /** {@return the group this stream follows, read from {@link #scope()} (e.g. its URL route)} */
  protected abstract String group();

  /** {@return the interval between keep-alive comments; {@link #DEFAULT_KEEP_ALIVE} unless overridden} */
  protected Duration keepAlive() {
    return DEFAULT_KEEP_ALIVE;
  }

  /** {@return the most history entries read in one go while catching up (default 100)} */
  protected int historyBatch() {
    return 100;
  }

  /**
   * The event for a group message. Default: its history id, its type, its other fields as JSON.
   *
   * @param message the group message to stream
   * @return the event to send; null to skip the message
   */
  protected Event toEvent(Message message) {
    return new Event(message.getString(ChannelLayer.HISTORY_ID), message.type(),
        JsonSupport.encode(StreamingSupport.clientFields(message)));
  }

  /** Joins the group, starts the stream, replays what {@code Last-Event-ID} missed, starts keep-alives. */
  @Override
  public CompletionStage<Void> handle(byte[] body) {
    group = group();
    ChannelLayer layer = channelLayer();
    String lastEventId = scope().header("last-event-id").map(String::strip).orElse(null);
    // The position is read before joining: a message recorded in between arrives live with a later id
    // than expected, which makes the stream read it from the history rather than miss it.
    return layer.groupHistory(group, null, 1)
        .thenCompose(position -> layer.groupAdd(group, channelName())
            .thenCompose(v -> sendHeaders(200, List.of(
                Header.of("content-type", "text/event-stream; charset=utf-8"),
                Header.of("cache-control", "no-cache"),
                Header.of("x-accel-buffering", "no"))))
            .thenCompose(v -> write(": stream of " + group + "\n\n"))
            .thenCompose(v -> {
              if (lastEventId == null || !layer.supportsHistory()) {
                lastId = position.cursor() == null ? -1 : HistoryPage.parseId(position.cursor());
                return lastEventId == null ? Application.done() : gap(lastEventId);
              }
              return layer.groupHistory(group, lastEventId, historyBatch()).thenCompose(page -> emit(page, lastEventId));
            }))
        .thenRun(() -> {
          streaming = true;
          Duration every = keepAlive();
          keepAliveTimer = StreamingSupport.postLater(this, Message.of(KEEP_ALIVE), every, every);
        });
  }

  /**
   * Writes the group messages that arrive as events; {@code http.*} events go to the usual handlers.
   *
   * @param message the event
   * @return a stage that completes when it is handled
   */
  @Override
  protected CompletionStage<Void> dispatch(Message message) {
    String type = message.type();
    if (type.startsWith("http.")) {
      return super.dispatch(message);
    }
    if (!streaming) {
      return Application.done();
    }
    if (type.equals(KEEP_ALIVE)) {
      return write(": keep-alive\n\n");
    }
    long id = HistoryPage.parseId(message.getString(ChannelLayer.HISTORY_ID));
    if (id < 0 || lastId < 0) {
      lastId = Math.max(lastId, id);
      return writeEvent(message);
    }
    if (id <= lastId) {
      return Application.done(); // already written, from history
    }
    if (id == lastId + 1) {
      lastId = id;
      return writeEvent(message);
    }
    String after = Long.toString(lastId);
    return channelLayer().groupHistory(group, after, historyBatch()).thenCompose(page -> emit(page, after));
  }

  /** Writes a history page (a gap event first if it has one), then reads on while pages come back full. */
  private CompletionStage<Void> emit(HistoryPage page, String after) {
    CompletionStage<Void> out = page.gap() ? gap(after) : Application.done();
    for (HistoryEntry e : page.entries()) {
      out = out.thenCompose(v -> writeEvent(e.message()));
    }
    if (page.cursor() != null) {
      lastId = Math.max(lastId, HistoryPage.parseId(page.cursor()));
    }
    if (page.entries().size() < historyBatch()) {
      return out;
    }
    String next = page.cursor();
    return out.thenCompose(v -> channelLayer().groupHistory(group, next, historyBatch()))
        .thenCompose(p -> emit(p, next));
  }

  private CompletionStage<Void> gap(String after) {
    String data = JsonSupport.encode(Map.of("after", after));
    return write(new Event(null, "gap", data).encode());
  }

  private CompletionStage<Void> writeEvent(Message message) {
    Event event = toEvent(message);
    return event == null ? Application.done() : write(event.encode());
  }

  private CompletionStage<Void> write(String text) {
    return sendBody(text.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Stops the keep-alives and leaves the group. */
  @Override
  public CompletionStage<Void> disconnect() {
    return StreamingSupport.leave(this, group, keepAliveTimer);
  }
}
