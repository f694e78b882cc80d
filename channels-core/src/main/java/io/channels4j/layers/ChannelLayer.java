package io.channels4j.layers;

import io.channels4j.Message;
import io.channels4j.internal.Futures;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A channel layer: lets consumers, in this process or others, send each other messages by channel name
 * and broadcast to groups. The Java form of Channels' channel layer.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li><b>Delivery</b> is at most once. Messages from one sender to one channel arrive in order.
 *   <li><b>Capacity</b>: a channel holds at most its capacity of unreceived messages; {@link #send} to a
 *       full channel fails with {@link ChannelFullException}; {@link #groupSend} skips full members.
 *   <li><b>Expiry</b>: messages not received within the layer's {@code expiry} are dropped, and a
 *       channel that lost a message to expiry leaves its groups. Group membership lapses {@code
 *       groupExpiry} after the last {@link #groupAdd}.
 *   <li><b>Names</b> follow {@link ChannelNames}; a bad name fails with {@link IllegalArgumentException}
 *       quoting it.
 *   <li><b>Messages</b> are immutable {@link Message}s, so every layer accepts the same ones.
 *   <li><b>Receive and cancellation</b>: at most one receiver per channel at a time. Cancelling the
 *       future returned by {@link #receive} withdraws the receiver without losing a message.
 * </ul>
 *
 * <p>Every method returns at once with a {@link CompletionStage}; {@link #sync()} gives a blocking view.
 * Implementations are thread-safe.
 *
 * <h2>Room history</h2>
 *
 * <p>A group may keep its recent messages: {@link #groupSendRecorded} appends the message to the group's
 * history (trimmed to the given {@link HistoryLimits}), gives it the next id of that group (ids are
 * {@code 1, 2, 3, ...} as decimal strings, increasing by one per recorded message, shared by every node
 * of a shared layer) and sends it to the group with the id in its {@link #HISTORY_ID} field. {@link
 * #groupHistory} returns what was recorded after a cursor, in id order, and says when messages after
 * the cursor have already been trimmed ({@link HistoryPage#gap()}), so a reader never skips silently. A
 * layer that keeps no history ({@link #supportsHistory()} false, the default) sends recorded messages
 * as plain group sends without an id, and answers {@code groupHistory} with an empty page whose cursor
 * is null and whose gap flag is set whenever a cursor was given.
 *
 * <p>The abstract test class {@code ChannelLayerContract} (in this
 * module's test-jar) checks all of the above for any implementation.
 */
public interface ChannelLayer extends AutoCloseable {

  /**
   * Sends {@code message} to {@code channel}; fails with {@link ChannelFullException} if it is full.
   *
   * @param channel the channel name
   * @param message the message
   * @return a stage that completes when this is done
   */
  CompletionStage<Void> send(String channel, Message message);

  /**
   * Receives the next message on {@code channel}, waiting as long as it takes. For a process-local name
   * ({@code prefix!suffix}) made by {@link #newChannel}, only this layer instance can receive.
   *
   * @param channel the channel name
   * @return a stage with the message received
   */
  CompletionStage<Message> receive(String channel);

  /**
   * Returns a new, unique, process-local channel name starting with {@code prefix}.
   *
   * @param prefix the channel name prefix
   * @return a new, unique, process-local channel name starting with {@code prefix}
   */
  CompletionStage<String> newChannel(String prefix);

  /**
   * Returns a new process-local channel name with the prefix {@code "specific"}.
   *
   * @return a new process-local channel name with the prefix {@code "specific"}
   */
  default CompletionStage<String> newChannel() {
    return newChannel("specific");
  }

  /**
   * Adds {@code channel} to {@code group} (idempotent; refreshes the membership's expiry).
   *
   * @param group the group name
   * @param channel the channel name
   * @return a stage that completes when this is done
   */
  CompletionStage<Void> groupAdd(String group, String channel);

  /**
   * Removes {@code channel} from {@code group}; a no-op if it is not a member.
   *
   * @param group the group name
   * @param channel the channel name
   * @return a stage that completes when this is done
   */
  CompletionStage<Void> groupDiscard(String group, String channel);

  /**
   * Sends {@code message} to every member of {@code group}; full members are skipped (and logged).
   *
   * @param group the group name
   * @param message the message
   * @return a stage that completes when this is done
   */
  CompletionStage<Void> groupSend(String group, Message message);

  /**
   * Drops every message and group of this layer (for tests).
   *
   * @return a stage that completes when this is done
   */
  CompletionStage<Void> flush();

  /**
   * Releases the layer's resources; pending receives fail.
   *
   * @return a stage that completes when this is done
   */
  CompletionStage<Void> closeAsync();

  /** Closes the layer, waiting for it to finish. */
  @Override
  default void close() {
    Futures.await(closeAsync());
  }

  /** The field {@link #groupSendRecorded} adds to the group message: the message's history id. */
  String HISTORY_ID = "history_id";

  /** {@return whether this layer keeps group history; false by default (see the class comment)} */
  default boolean supportsHistory() {
    return false;
  }

  /**
   * Records {@code message} in {@code group}'s history, trimmed to {@code limits}, then sends it to the
   * group with its id in {@link #HISTORY_ID}; completes with that id. Limits apply per group: the last
   * send's limits decide what is kept. Without history support: a plain {@link #groupSend}, completing
   * with null.
   *
   * @param group the group to record in and send to
   * @param message the message to record and send
   * @param limits how much of the group's history to keep after this send
   * @return completes with the message's history id (null without history support) once it is sent
   */
  default CompletionStage<String> groupSendRecorded(String group, Message message, HistoryLimits limits) {
    Objects.requireNonNull(limits, "limits");
    return groupSend(group, message).thenApply(v -> null);
  }

  /**
   * The messages recorded in {@code group} after {@code after} (null: none, just the current cursor),
   * oldest first, at most {@code max} of them. The page's cursor is the id of its last entry, or, if it
   * is empty, the group's current position (the last id given, "0" if none), to pass back next time.
   * Without history support: an empty page, a null cursor, and the gap flag set if {@code after} was
   * given.
   *
   * @param group the group whose history to read
   * @param after the cursor to continue from (an id or a page's cursor); null for no entries, just the cursor
   * @param max the most entries the page may hold
   * @return completes with the page of entries after {@code after}, its cursor and gap flag
   */
  default CompletionStage<HistoryPage> groupHistory(String group, String after, int max) {
    return CompletableFuture.completedStage(new HistoryPage(List.of(), null, after != null));
  }

  /**
   * How much history a group keeps.
   *
   * @param maxMessages the most recent messages kept; at least 1
   * @param maxAge how long a message is kept; null for as long as {@code maxMessages} allows
   */
  record HistoryLimits(int maxMessages, Duration maxAge) {
    /**
     * Checks the limits.
     *
     * @param maxMessages the most recent messages kept; at least 1
     * @param maxAge how long a message is kept, positive; null for no age limit
     * @throws IllegalArgumentException if {@code maxMessages} is below 1 or {@code maxAge} is not positive
     */
    public HistoryLimits {
      if (maxMessages < 1) {
        throw new IllegalArgumentException("history must keep at least 1 message, got " + maxMessages);
      }
      if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
        throw new IllegalArgumentException("history age must be positive, got " + maxAge);
      }
    }

    /**
     * Keeps the last {@code maxMessages} messages, however old.
     *
     * @param maxMessages the most recent messages kept; at least 1
     * @return limits with that count and no age limit
     */
    public static HistoryLimits lastMessages(int maxMessages) {
      return new HistoryLimits(maxMessages, null);
    }
  }

  /**
   * One recorded message.
   *
   * @param id its id in the group (decimal, increasing by one per recorded message)
   * @param message the message as sent, with {@link #HISTORY_ID} set
   */
  record HistoryEntry(String id, Message message) {
    /**
     * Checks the parts.
     *
     * @param id the entry's id in the group; not null
     * @param message the recorded message; not null
     */
    public HistoryEntry {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * An answer of {@link #groupHistory}.
   *
   * @param entries the recorded messages after the cursor asked for, oldest first
   * @param cursor where to continue from: the last entry's id, or the group's position if there is none;
   *     null on a layer without history
   * @param gap true if messages after the cursor asked for are no longer kept (trimmed, expired, or the
   *     cursor is from a history that was since flushed): the entries do not follow on from it
   */
  record HistoryPage(List<HistoryEntry> entries, String cursor, boolean gap) {
    /**
     * Copies the entries.
     *
     * @param entries the recorded messages, oldest first; copied, so later changes to the list do not show
     * @param cursor where to continue from; null on a layer without history
     * @param gap true if entries after the cursor asked for were lost
     */
    public HistoryPage {
      entries = List.copyOf(entries);
    }

    /**
     * Parses a history id or cursor as given to clients; -1 if it is not one (not a non-negative decimal
     * number), so callers can answer a bad cursor as a gap.
     *
     * @param id the id or cursor to parse; may be null
     * @return its numeric value, or -1 if it is null, empty, longer than 18 digits or not all digits
     */
    public static long parseId(String id) {
      if (id == null || id.isEmpty() || id.length() > 18) {
        return -1;
      }
      for (int i = 0; i < id.length(); i++) {
        if (id.charAt(i) < '0' || id.charAt(i) > '9') {
          return -1;
        }
      }
      return Long.parseLong(id);
    }
  }

  /** {@return a blocking view of this layer, for sync consumers and scripts} */
  default BlockingChannelLayer sync() {
    return new BlockingChannelLayer(this);
  }
}
