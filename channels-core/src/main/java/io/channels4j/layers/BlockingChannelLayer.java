package io.channels4j.layers;

import static io.channels4j.internal.Futures.await;

import io.channels4j.Message;

/**
 * A blocking view of a {@link ChannelLayer}: each method waits for the asynchronous one and rethrows its
 * failure unwrapped (e.g. {@link ChannelFullException}). For sync consumers, which run on their own
 * threads; never call it on an I/O thread.
 */
public final class BlockingChannelLayer {

  private final ChannelLayer layer;

  BlockingChannelLayer(ChannelLayer layer) {
    this.layer = layer;
  }

  /** {@return the asynchronous layer behind this view} */
  public ChannelLayer async() {
    return layer;
  }

  /**
   * See {@link ChannelLayer#send}.
   *
   * @param channel the channel name
   * @param message the message
   */
  public void send(String channel, Message message) {
    await(layer.send(channel, message));
  }

  /**
   * See {@link ChannelLayer#receive}.
   *
   * @param channel the channel name
   * @return the message
   */
  public Message receive(String channel) {
    return await(layer.receive(channel));
  }

  /**
   * See {@link ChannelLayer#newChannel(String)}.
   *
   * @param prefix the channel name prefix
   * @return the new channel name
   */
  public String newChannel(String prefix) {
    return await(layer.newChannel(prefix));
  }

  /**
   * See {@link ChannelLayer#newChannel()}.
   *
   * @return the new channel name
   */
  public String newChannel() {
    return await(layer.newChannel());
  }

  /**
   * See {@link ChannelLayer#groupAdd}.
   *
   * @param group the group name
   * @param channel the channel name
   */
  public void groupAdd(String group, String channel) {
    await(layer.groupAdd(group, channel));
  }

  /**
   * See {@link ChannelLayer#groupDiscard}.
   *
   * @param group the group name
   * @param channel the channel name
   */
  public void groupDiscard(String group, String channel) {
    await(layer.groupDiscard(group, channel));
  }

  /**
   * See {@link ChannelLayer#groupSend}.
   *
   * @param group the group name
   * @param message the message
   */
  public void groupSend(String group, Message message) {
    await(layer.groupSend(group, message));
  }

  /** See {@link ChannelLayer#flush}. */
  public void flush() {
    await(layer.flush());
  }
}
