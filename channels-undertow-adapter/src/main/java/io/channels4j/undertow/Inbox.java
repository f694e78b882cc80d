package io.channels4j.undertow;

import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.internal.AsyncQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The events waiting for one application. After the terminal event (a disconnect) every further
 * {@code receive()} gets that event again, as uvicorn does, so a late reader never hangs.
 */
final class Inbox implements Receive {

  private final AsyncQueue<Message> queue = new AsyncQueue<>();
  private volatile Message terminal;

  void offer(Message message) {
    if (terminal == null) {
      queue.offer(message);
    }
  }

  /** Delivers the terminal event once; later calls do nothing. */
  void terminate(Message message) {
    synchronized (this) {
      if (terminal != null) {
        return;
      }
      terminal = message;
    }
    queue.offer(message);
  }

  boolean terminated() {
    return terminal != null;
  }

  @Override
  public CompletionStage<Message> receive() {
    Message now = queue.pollNow();
    if (now != null) {
      return CompletableFuture.completedFuture(now);
    }
    Message end = terminal;
    if (end != null) {
      return CompletableFuture.completedFuture(end);
    }
    return queue.poll();
  }
}
