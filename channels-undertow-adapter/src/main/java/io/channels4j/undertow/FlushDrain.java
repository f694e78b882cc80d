package io.channels4j.undertow;

import java.util.concurrent.atomic.AtomicReference;
import org.xnio.XnioIoThread;

/**
 * The connections of one XNIO I/O thread with frames waiting to be flushed, and the one task that
 * flushes them all.
 *
 * <p>A group message to a hundred members queues a frame on a hundred {@link OutboundQueue}s from
 * the channel layer's thread. Rather than a hundred tasks handed to the I/O threads (each an
 * allocation, XNIO's task-queue lock and possibly a selector wake-up), each queue joins its I/O
 * thread's pending list, and only the queue that finds the list empty schedules the drain. The
 * drain takes the whole list at once and flushes each connection in the order they joined; each
 * connection's write path ({@link OutboundQueue#flush}) is unchanged. A queue joins at most once
 * until it is flushed (its own scheduled flag), so it can be linked through its own field and the
 * list allocates nothing.
 */
final class FlushDrain implements Runnable {

  private static final ThreadLocal<FlushDrain> OF_THREAD = new ThreadLocal<>();

  private final XnioIoThread thread;
  /** The newest pending queue; older ones follow {@link OutboundQueue#nextPending}. */
  private final AtomicReference<OutboundQueue> head = new AtomicReference<>();

  private FlushDrain(XnioIoThread thread) {
    this.thread = thread;
  }

  /**
   * The drain of {@code thread}: shared when called on that thread (as when a socket opens), else a
   * drain of its own, which behaves like one task per connection.
   */
  static FlushDrain of(XnioIoThread thread) {
    if (Thread.currentThread() != thread) {
      return new FlushDrain(thread);
    }
    FlushDrain d = OF_THREAD.get();
    if (d == null) {
      d = new FlushDrain(thread);
      OF_THREAD.set(d);
    }
    return d;
  }

  /** Adds a queue that is not already pending; any thread. */
  void add(OutboundQueue q) {
    OutboundQueue h;
    do {
      h = head.get();
      q.nextPending = h;
    } while (!head.compareAndSet(h, q));
    if (h == null) {
      thread.execute(this); // the list was empty: nobody has scheduled the drain yet
    }
  }

  /** Flushes every pending queue. I/O thread. */
  @Override
  public void run() {
    OutboundQueue newest = head.getAndSet(null);
    OutboundQueue oldest = null;
    while (newest != null) { // reverse: flush in the order the connections joined
      OutboundQueue next = newest.nextPending;
      newest.nextPending = oldest;
      oldest = newest;
      newest = next;
    }
    while (oldest != null) {
      OutboundQueue q = oldest;
      oldest = q.nextPending;
      q.nextPending = null;
      try {
        q.flush();
      } catch (RuntimeException e) { // as XNIO does for a failed task: the other connections still go out
        Bridge.LOG.error("Flushing a WebSocket connection failed", e);
      }
    }
  }
}
