package io.channels4j.layers;

import io.channels4j.ChannelsException;

/** A layer operation failed because the layer's backend (e.g. Redis) cannot be reached, or the layer is closed. */
public class ChannelLayerUnavailableException extends ChannelsException {

  /**
   * Creates the exception.
   *
   * @param message the message
   * @param cause the cause
   */
  public ChannelLayerUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
