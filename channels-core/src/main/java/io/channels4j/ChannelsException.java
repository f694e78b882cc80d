package io.channels4j;

/** The root of Channels4J's own unchecked exceptions. */
public class ChannelsException extends RuntimeException {

  /**
   * Creates an exception with a message.
   *
   * @param message the message
   */
  public ChannelsException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message the message
   * @param cause the cause
   */
  public ChannelsException(String message, Throwable cause) {
    super(message, cause);
  }
}
