package io.channels4j.layers;

import io.channels4j.Message;
import java.util.concurrent.CompletableFuture;

/**
 * A receive waiting on an empty {@link ChannelQueue}. A sender takes it off the queue under the queue's
 * lock and completes it with {@link #deliver} after releasing the lock. Cancelling it, or completing it
 * from outside, withdraws it from its queue first.
 *
 * <p>Withdraw first, then complete: once withdrawn no sender can take this receiver, and if a sender took
 * it already, whichever completion loses is harmless (a losing sender offers its message again). So by
 * the time a caller sees this future done, the queue no longer holds it.
 */
final class PendingReceive extends CompletableFuture<Message> {
  private final ChannelQueue queue;

  PendingReceive(ChannelQueue queue) {
    this.queue = queue;
  }

  /** Completes with a message taken for this receiver; false if it was already done (cancelled). */
  boolean deliver(Message m) {
    return super.complete(m);
  }

  /** Fails a receiver already taken off its queue (the layer closed). */
  void fail(Throwable t) {
    super.completeExceptionally(t);
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return withdrawn() && super.cancel(mayInterruptIfRunning);
  }

  @Override
  public boolean completeExceptionally(Throwable ex) {
    return withdrawn() && super.completeExceptionally(ex);
  }

  @Override
  public boolean complete(Message value) {
    return withdrawn() && super.complete(value);
  }

  /** Withdraws this receiver from its queue unless it is done; false if it was done already. */
  private boolean withdrawn() {
    if (isDone()) {
      return false;
    }
    synchronized (queue) {
      queue.withdraw(this);
    }
    return true;
  }
}
