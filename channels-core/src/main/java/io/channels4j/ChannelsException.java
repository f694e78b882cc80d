package io.channels4j;

/**
 * The root of Channels4J's own unchecked exceptions. Its nested classes are the control-flow exceptions of
 * Channels' {@code channels.exceptions}: a consumer throws them to accept or deny a WebSocket handshake, or to
 * stop itself.
 */
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

  /**
   * Thrown from a WebSocket consumer's {@code connect()} to accept the connection, as Channels' {@code
   * AcceptConnection}: the consumer then calls {@code accept()}.
   */
  public static class AcceptConnection extends ChannelsException {

    /** Creates the exception. */
    public AcceptConnection() {
      super("connection accepted by AcceptConnection");
    }
  }

  /**
   * Thrown from a WebSocket consumer's {@code connect()} to deny the connection, as Channels' {@code
   * DenyConnection}: the consumer then calls {@code close()}, so the server rejects the handshake with HTTP
   * 403, exactly as an explicit {@code close()} before accept.
   */
  public static class DenyConnection extends ChannelsException {

    /** Creates the exception. */
    public DenyConnection() {
      this("connection denied by DenyConnection");
    }

    /**
     * Creates the exception with a message (for the reader of the code; the client is not told).
     *
     * @param message the message
     */
    public DenyConnection(String message) {
      super(message);
    }
  }

  /**
   * Thrown from any consumer handler to end the consumer, as Channels' {@code StopConsumer}: the consumer
   * stops once the handler has thrown, without an error (nothing is logged and {@code onError} is not
   * called). The same as calling {@code stop()} and returning.
   */
  public static class StopConsumer extends ChannelsException {

    /** Creates the exception. */
    public StopConsumer() {
      super("consumer stopped by StopConsumer");
    }
  }
}
