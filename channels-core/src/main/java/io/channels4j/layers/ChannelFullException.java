package io.channels4j.layers;

import io.channels4j.ChannelsException;

/** Thrown (as the failure of a {@code send}) when a channel holds its capacity of messages. */
public class ChannelFullException extends ChannelsException {

  /** The channel that was full (part of the serialized form). */
  private final String channel;

  /**
   * Creates the exception for {@code channel}.
   *
   * @param channel the channel name
   * @param capacity the capacity
   */
  public ChannelFullException(String channel, int capacity) {
    super("channel '" + channel + "' is full (capacity " + capacity + ")");
    this.channel = channel;
  }

  /** {@return the channel that was full} */
  public String channel() {
    return channel;
  }
}
