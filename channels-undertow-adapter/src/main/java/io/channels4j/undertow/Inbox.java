package io.channels4j.undertow;

import io.channels4j.Message;
import io.channels4j.Receive;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The events waiting for one application, in arrival order. The terminal event (a disconnect) comes
 * after every event offered before it; once the application has taken it, every further {@code
 * receive()} gets it again, as uvicorn does, so a late reader never hangs.
 *
 * <p>Optionally bounded, for back-pressure: {@link #offer(Message)} says when the inbox holds {@code
 * maxEvents} events or {@code maxBytes} bytes of message data, and the reader then pauses; once the
 * application has taken it down to half of both, {@code onRoom} runs (once per pause). An event handed
 * straight to a waiting {@code receive()} never counts. One lock, no extra stage per event.
 */
final class Inbox implements Receive {

  private final int maxEvents;
  private final long maxBytes;
  private final ArrayDeque<Message> items = new ArrayDeque<>(3); // small: most connections hold few events
  private final ArrayDeque<CompletableFuture<Message>> waiters = new ArrayDeque<>(1);
  private volatile Runnable onRoom = () -> { };
  // guarded by this
  private long bytes;
  private boolean paused;
  private int peak;
  private Message terminal;
  private boolean terminalTaken;

  /** An unbounded inbox. */
  Inbox() {
    this(Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  Inbox(int maxEvents, long maxBytes) {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  /** What to run when a paused reader may go on; called on the application's thread. */
  void onRoom(Runnable task) {
    this.onRoom = task;
  }

  /**
   * Queues an event; returns true if the inbox is now full: the caller should pause reading until
   * {@code onRoom} runs. Ignored after the terminal event.
   */
  boolean offer(Message message) {
    while (true) {
      CompletableFuture<Message> waiter;
      synchronized (this) {
        if (terminal != null) {
          return false;
        }
        waiter = waiters.poll();
        if (waiter == null) {
          items.add(message);
          bytes += weight(message);
          peak = Math.max(peak, items.size());
          if (!paused && (items.size() >= maxEvents || bytes >= maxBytes)) {
            paused = true;
            return true;
          }
          return false;
        }
      }
      if (waiter.complete(message)) {
        return false;
      } // else that receive() was cancelled: the next waiter or the queue gets it
    }
  }

  /** Delivers the terminal event once, after everything offered before; later calls do nothing. */
  void terminate(Message message) {
    synchronized (this) {
      if (terminal != null) {
        return;
      }
      terminal = message;
    }
    while (true) {
      CompletableFuture<Message> waiter;
      synchronized (this) {
        waiter = waiters.poll();
        if (waiter == null) {
          items.add(message);
          return;
        }
        terminalTaken = true;
      }
      if (waiter.complete(message)) {
        return;
      }
      synchronized (this) {
        terminalTaken = false; // that receive() was cancelled
      }
    }
  }

  synchronized boolean terminated() {
    return terminal != null;
  }

  /** Events waiting now (not counting the terminal one). */
  synchronized int size() {
    return items.size() - (terminal != null && !terminalTaken ? 1 : 0);
  }

  /** The most events that were waiting at once. */
  synchronized int peak() {
    return peak;
  }

  @Override
  public CompletionStage<Message> receive() {
    Message now;
    CompletableFuture<Message> wait = null;
    boolean room = false;
    synchronized (this) {
      now = items.poll();
      if (now == null) {
        if (terminalTaken) {
          now = terminal;
        } else {
          wait = new CompletableFuture<>();
          waiters.add(wait);
        }
      } else if (now == terminal) {
        terminalTaken = true;
      } else {
        bytes -= weight(now);
        if (paused && items.size() <= maxEvents / 2 && bytes <= maxBytes / 2) {
          paused = false;
          room = true;
        }
      }
    }
    if (room) {
      onRoom.run();
    }
    return wait != null ? wait : CompletableFuture.completedFuture(now);
  }

  private static long weight(Message m) {
    if (!m.type().equals("websocket.receive")) {
      return 0;
    }
    String text = m.getString("text");
    return text != null ? text.length() : m.getByteBuffer("bytes").remaining(); // getBytes would copy
  }
}
