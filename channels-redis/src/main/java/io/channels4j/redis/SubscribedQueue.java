package io.channels4j.redis;

import io.channels4j.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A subscribed channel of {@link RedisPubSubChannelLayer}: a FIFO of published messages (bounded, the
 * oldest dropped) and a FIFO of receivers, plus the subscription's own future.
 */
final class SubscribedQueue {

  /** Completes when Redis confirmed the SUBSCRIBE. */
  final CompletableFuture<Void> subscribed = new CompletableFuture<>();
  private final int bound;
  private final ArrayDeque<Message> items = new ArrayDeque<>();
  private final ArrayDeque<CompletableFuture<Message>> waiters = new ArrayDeque<>();

  SubscribedQueue(int bound) {
    this.bound = bound;
  }

  boolean isSubscribed() {
    return subscribed.isDone() && !subscribed.isCompletedExceptionally();
  }

  /** Hands {@code m} to the oldest receiver, or queues it. */
  void offer(Message m) {
    while (true) {
      CompletableFuture<Message> w;
      synchronized (this) {
        w = waiters.poll();
        if (w == null) {
          items.add(m);
          if (items.size() > bound) {
            items.poll();
          }
          return;
        }
      }
      if (w.complete(m)) {
        return;
      }
    }
  }

  /** The next message; a cancelled receive leaves the queue (nothing is lost). */
  CompletableFuture<Message> poll() {
    CompletableFuture<Message> f = new CompletableFuture<>();
    synchronized (this) {
      Message m = items.poll();
      if (m != null) {
        f.complete(m);
        return f;
      }
      waiters.add(f);
    }
    f.whenComplete((m, e) -> {
      if (f.isCancelled()) {
        synchronized (this) {
          waiters.remove(f);
        }
      }
    });
    return f;
  }

  synchronized void clear() {
    items.clear();
  }

  /** Fails the subscription and every receiver (close). */
  void failAll(Throwable t) {
    List<CompletableFuture<Message>> ws;
    synchronized (this) {
      ws = new ArrayList<>(waiters);
      waiters.clear();
    }
    subscribed.completeExceptionally(t);
    ws.forEach(w -> w.completeExceptionally(t));
  }
}
