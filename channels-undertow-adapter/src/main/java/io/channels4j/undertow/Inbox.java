package io.channels4j.undertow;

import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.internal.AsyncQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events waiting for one application, in arrival order. The terminal event (a disconnect) comes
 * after every event offered before it; once the application has taken it, every further {@code
 * receive()} gets it again, as uvicorn does, so a late reader never hangs.
 *
 * <p>Optionally bounded, for back-pressure: {@link #offer(Message)} says when the inbox holds {@code
 * maxEvents} events or {@code maxBytes} bytes of message data, and the reader then pauses; once the
 * application has taken it down to half of both, {@code onRoom} runs (once per pause).
 */
final class Inbox implements Receive {

  private final AsyncQueue<Message> queue = new AsyncQueue<>();
  private final int maxEvents;
  private final long maxBytes;
  private final AtomicInteger events = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean();
  private volatile Runnable onRoom = () -> { };
  private volatile Message terminal;
  private volatile boolean terminalTaken;
  private volatile int peak;

  /** An unbounded inbox. */
  Inbox() {
    this(Integer.MAX_VALUE, Long.MAX_VALUE);
  }

  Inbox(int maxEvents, long maxBytes) {
    this.maxEvents = maxEvents;
    this.maxBytes = maxBytes;
  }

  /** What to run when a paused reader may go on; any thread. */
  void onRoom(Runnable task) {
    this.onRoom = task;
  }

  /**
   * Queues an event; returns true if the inbox is now full: the caller should pause reading until
   * {@code onRoom} runs. Ignored after the terminal event.
   */
  boolean offer(Message message) {
    if (terminal != null) {
      return false;
    }
    int n = events.incrementAndGet();
    long b = bytes.addAndGet(weight(message));
    if (n > peak) {
      peak = n;
    }
    queue.offer(message);
    if (n < maxEvents && b < maxBytes) {
      return false;
    }
    paused.set(true);
    if (full()) {
      return true;
    }
    paused.compareAndSet(true, false); // drained meanwhile (or onRoom already ran): go on reading
    return false;
  }

  private boolean full() {
    return events.get() >= maxEvents || bytes.get() >= maxBytes;
  }

  /** Delivers the terminal event once, after everything offered before; later calls do nothing. */
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

  /** Events waiting now (not counting the terminal one). */
  int size() {
    return events.get();
  }

  /** The most events that were waiting at once. */
  int peak() {
    return peak;
  }

  @Override
  public CompletionStage<Message> receive() {
    if (terminalTaken) {
      return CompletableFuture.completedFuture(terminal);
    }
    Message now = queue.pollNow();
    if (now != null) {
      return CompletableFuture.completedFuture(taken(now));
    }
    CompletableFuture<Message> next = queue.poll();
    return next.isDone() ? CompletableFuture.completedFuture(taken(next.join())) : next.thenApply(this::taken);
  }

  private Message taken(Message m) {
    if (m == terminal) {
      terminalTaken = true;
      return m;
    }
    int n = events.decrementAndGet();
    long b = bytes.addAndGet(-weight(m));
    if (paused.get() && n <= maxEvents / 2 && b <= maxBytes / 2 && paused.compareAndSet(true, false)) {
      onRoom.run();
    }
    return m;
  }

  private static long weight(Message m) {
    if (!m.type().equals("websocket.receive")) {
      return 0;
    }
    String text = m.getString("text");
    return text != null ? text.length() : m.getByteBuffer("bytes").remaining(); // getBytes would copy
  }
}
