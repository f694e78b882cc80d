package io.channels4j.layers;

import io.channels4j.Message;
import io.channels4j.internal.Futures;
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
 * Implementations are thread-safe. The abstract test class {@code ChannelLayerContract} (in this
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

  /** {@return a blocking view of this layer, for sync consumers and scripts} */
  default BlockingChannelLayer sync() {
    return new BlockingChannelLayer(this);
  }
}
