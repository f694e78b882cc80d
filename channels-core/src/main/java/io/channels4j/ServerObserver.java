package io.channels4j;

/**
 * Hears what a server does beneath the application, where no middleware can see it: the hook metrics
 * (channels-micrometer) attach to. Everything an application sees (connections, messages, closes) is
 * observed by wrapping the application instead. Methods are called on I/O threads: they must be quick
 * and must not throw.
 */
public interface ServerObserver {

  /** Observes nothing. */
  ServerObserver NONE = new ServerObserver() {};

  /**
   * A frame was queued for a WebSocket client over the outbound bound (a slow client): the server closes
   * it, or drops its oldest frames, as its overflow policy says.
   *
   * @param scope the scope of the slow client's connection
   */
  default void outboundOverflow(Scope scope) {}

  /**
   * A connection's inbox filled up, so the server stopped reading from its socket until the application catches up.
   *
   * @param scope the scope of the paused connection
   */
  default void inboxPaused(Scope scope) {}
}
