package io.channels4j;

import java.util.concurrent.CompletionStage;

/**
 * Emits an event from an application to its server (e.g. {@code websocket.accept}, {@code
 * http.response.body}). Events sent by one application arrive at the server in the order sent.
 */
@FunctionalInterface
public interface Send {

  /**
   * Sends {@code message}; the stage completes when the server has taken it.
   *
   * @param message the message
   * @return a stage that completes when this is done
   */
  CompletionStage<Void> send(Message message);
}
