package io.channels4j.internal;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * An unbounded FIFO whose {@link #poll} returns a future. Cancelling a pending poll withdraws it
 * without losing an item. Futures complete outside the lock. Not a public API.
 *
 * @param <T> the item type
 */
public final class AsyncQueue<T> {

  private final ArrayDeque<T> items = new ArrayDeque<>();
  private final ArrayDeque<CompletableFuture<T>> waiters = new ArrayDeque<>();

  /** Adds an item, handing it to the oldest live waiter if there is one. */
  public void offer(T item) {
    while (true) {
      CompletableFuture<T> w;
      synchronized (this) {
        w = waiters.poll();
        if (w == null) {
          items.add(item);
          return;
        }
      }
      if (w.complete(item)) {
        return;
      }
    }
  }

  /** Returns a future completed with the next item. */
  public CompletableFuture<T> poll() {
    CompletableFuture<T> f = new CompletableFuture<>();
    synchronized (this) {
      T item = items.poll();
      if (item == null) {
        waiters.add(f);
        f.whenComplete((v, e) -> {
          if (f.isCancelled()) {
            synchronized (this) {
              waiters.remove(f);
            }
          }
        });
        return f;
      }
      f.complete(item);
    }
    return f;
  }

  /** Returns the next item if one is queued, else null. */
  public synchronized T pollNow() {
    return items.poll();
  }

  /** Number of queued items. */
  public synchronized int size() {
    return items.size();
  }
}
