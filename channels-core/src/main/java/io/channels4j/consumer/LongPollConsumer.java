package io.channels4j.consumer;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayer.HistoryEntry;
import io.channels4j.layers.ChannelLayer.HistoryPage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;

/**
 * Long polling of one group's history: {@code GET ...?after=<cursor>&timeout=<seconds>} answers with
 * what the group recorded after the cursor, waiting for it if there is nothing yet.
 *
 * <pre>{@code
 * public class RoomPoll extends LongPollConsumer {
 *   protected String group() { return "chat_" + scope().urlRoute().kwarg("room").orElseThrow(); }
 * }
 * }</pre>
 *
 * <p>The answer is {@code 200} with {@code {"messages": [{"id": "...", ...fields}, ...], "cursor": "...",
 * "gap": false}}: the messages recorded after {@code after} (see {@link ChannelLayer#groupSendRecorded}),
 * oldest first, at most {@link #maxMessages()}; {@code cursor} is what to pass as {@code after} next.
 * If something newer than {@code after} exists the answer comes at once; otherwise the request waits
 * for the group's next recorded message, up to {@code timeout} seconds (default 25, at most 60), and
 * then answers with an empty list and the same position. Without {@code after} it answers at once with
 * no messages and the group's current position. Passing each answer's cursor to the next poll misses
 * nothing while the messages stay in the group's history; if some were trimmed, {@code "gap": true}
 * says so (the messages kept are still returned). A {@code timeout} that is not a number of seconds is
 * answered 400.
 *
 * <p>A group message that was not recorded (a plain {@code groupSend}) reaches only requests waiting
 * when it comes: it is returned alone, with a null id and the cursor unchanged. On a layer without
 * history every answer is like that, with a null cursor ({@code after} is ignored).
 */
public abstract class LongPollConsumer extends AsyncHttpConsumer {

  /** The wait when the request gives no {@code timeout}. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(25);
  /** The longest wait a request may ask for. */
  public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
  static final String TIMED_OUT = "poll.timeout";

  private String group;
  private String after;
  private boolean waiting;
  private ScheduledFuture<?> timer;

  /** Creates the consumer of one request. */
  protected LongPollConsumer() {}

  /** {@return the group this endpoint polls, read from {@link #scope()} (e.g. its URL route)} */
  protected abstract String group();

  /** {@return the most messages one answer holds (default 100); the cursor continues from the last} */
  protected int maxMessages() {
    return 100;
  }

  /**
   * One message of an answer: its id, then its fields but {@code type} (override to choose).
   *
   * @param id the message's history id; null if the layer keeps no history
   * @param message the group message to answer with
   * @return the JSON object for the message, as a map in field order
   */
  protected Map<String, Object> toJson(String id, Message message) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.putAll(StreamingSupport.clientFields(message));
    return out;
  }

  /** Answers at once if there is something after the cursor, else joins the group and waits. */
  @Override
  public CompletionStage<Void> handle(byte[] body) {
    group = group();
    String query = scope().queryString();
    after = StreamingSupport.queryParam(query, "after").filter(s -> !s.isEmpty()).orElse(null);
    Duration timeout;
    try {
      timeout = StreamingSupport.queryParam(query, "timeout").map(LongPollConsumer::seconds).orElse(DEFAULT_TIMEOUT);
    } catch (IllegalArgumentException e) {
      return answer(400, Map.of("error", e.getMessage()));
    }
    ChannelLayer layer = channelLayer();
    if (!layer.supportsHistory()) {
      after = null;
      return layer.groupAdd(group, channelName()).thenRun(() -> startWaiting(timeout));
    }
    if (after == null) {
      return layer.groupHistory(group, null, 1).thenCompose(this::answer);
    }
    return layer.groupHistory(group, after, maxMessages()).thenCompose(page -> {
      if (!page.entries().isEmpty() || page.gap()) {
        return answer(page);
      }
      // Join, then look again: a message recorded before the join is in the history, one after it wakes us.
      return layer.groupAdd(group, channelName())
          .thenCompose(v -> layer.groupHistory(group, after, maxMessages()))
          .thenCompose(again -> {
            if (!again.entries().isEmpty() || again.gap()) {
              return answer(again);
            }
            startWaiting(timeout);
            return Application.done();
          });
    });
  }

  private void startWaiting(Duration timeout) {
    waiting = true;
    timer = StreamingSupport.postLater(this, Message.of(TIMED_OUT), timeout, null);
  }

  static Duration seconds(String text) {
    double s;
    try {
      s = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("timeout must be a number of seconds, got '" + text + "'");
    }
    if (!(s >= 0)) {
      throw new IllegalArgumentException("timeout must be a number of seconds, got '" + text + "'");
    }
    return Duration.ofMillis((long) (Math.min(s, MAX_TIMEOUT.toSeconds()) * 1000));
  }

  /**
   * Answers the long poll with the group messages that arrive; {@code http.*} events go to the usual handlers.
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
    if (!waiting) {
      return Application.done();
    }
    ChannelLayer layer = channelLayer();
    if (type.equals(TIMED_OUT)) {
      waiting = false;
      return layer.supportsHistory()
          ? layer.groupHistory(group, after, maxMessages()).thenCompose(this::answer)
          : answerMessages(List.of(), null, false);
    }
    if (!layer.supportsHistory() || !message.has(ChannelLayer.HISTORY_ID)) {
      // Not recorded (no history, or a plain group send): it can only be passed on as it is, once.
      waiting = false;
      return answerMessages(List.of(toJson(null, message)), after, false);
    }
    return layer.groupHistory(group, after, maxMessages()).thenCompose(page -> {
      if (page.entries().isEmpty() && !page.gap()) {
        return Application.done(); // not recorded (or already answered): keep waiting
      }
      waiting = false;
      return answer(page);
    });
  }

  private CompletionStage<Void> answer(HistoryPage page) {
    List<Map<String, Object>> messages = new ArrayList<>();
    for (HistoryEntry e : page.entries()) {
      messages.add(toJson(e.id(), e.message()));
    }
    return answerMessages(messages, page.cursor(), page.gap());
  }

  private CompletionStage<Void> answerMessages(List<Map<String, Object>> messages, String cursor, boolean gap) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("messages", messages);
    body.put("cursor", cursor);
    body.put("gap", gap);
    return answer(200, body);
  }

  private CompletionStage<Void> answer(int status, Map<String, Object> body) {
    return sendResponse(status, JsonSupport.encode(body).getBytes(StandardCharsets.UTF_8), List.of(
        Header.of("content-type", "application/json"), Header.of("cache-control", "no-store")));
  }

  /** Stops the timer and leaves the group. */
  @Override
  public CompletionStage<Void> disconnect() {
    return StreamingSupport.leave(this, group, timer);
  }
}
