package io.channels4j;

import java.util.concurrent.CompletionStage;

/**
 * Emits an event from an application to its server (e.g. {@code websocket.accept}, {@code
 * http.response.body}). Events sent by one application arrive at the server in the order sent.
 */
@FunctionalInterface
public interface Send {

  /** Sends {@code message}; the stage completes when the server has taken it. */
  CompletionStage<Void> send(Message message);
}
