package io.channels4j;

import java.util.concurrent.CompletionStage;

/**
 * Pulls the next event for an application. At most one receive is outstanding at a time; cancelling
 * the returned stage's {@link java.util.concurrent.CompletableFuture} withdraws the request without
 * losing an event.
 */
@FunctionalInterface
public interface Receive {

  /**
   * Returns a stage completed with the next event.
   *
   * @return a stage completed with the next event
   */
  CompletionStage<Message> receive();
}
