package io.channels4j.undertow;

import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * The frames waiting to go to one WebSocket client, and the writer that sends them.
 *
 * <p>Any thread may {@link #enqueue}; the connection then joins its I/O thread's {@link FlushDrain}
 * (at most once until flushed), whose one task per burst flushes every pending connection. The flush
 * hands the queued frames to Undertow and writes them in one gathering write (the channel
 * requires explicit flushes, so frames sent in one round are coalesced). Only {@link #HIGH_WATER}
 * bytes are handed to Undertow at a time, so a client that stops reading fills this queue, where
 * the slow-client policy ({@link ChannelsHandler.OverflowPolicy}) applies, rather than the heap.
 * Control frames (pong, ping, close) go out ahead of queued data. The flush task, control frames and
 * the close logic run on the connection's I/O thread.
 */
final class OutboundQueue {

  static final long HIGH_WATER = 256 * 1024;

  /** One queued frame: text, binary, or a close. */
  record Frame(String text, byte[] bytes, boolean close, int code, String reason, int size) {
    static Frame text(String text) {
      return new Frame(text, null, false, 0, null, text.length());
    }

    static Frame binary(byte[] bytes) {
      return new Frame(null, bytes, false, 0, null, bytes.length);
    }

    static Frame close(int code, String reason) {
      return new Frame(null, null, true, code, reason, 0);
    }
  }

  /** What the queue tells its connection. */
  interface Owner {
    /** The client is too slow under {@link ChannelsHandler.OverflowPolicy#CLOSE}; called once. */
    void overflowed(long bytes, int frames);

    /** The oldest frames were dropped under {@link ChannelsHandler.OverflowPolicy#DROP_OLDEST}. */
    void dropped(long total);

    /** A frame was handed to the socket (for the idle timeout). */
    void sent();
  }

  private final Settings settings;
  private final Owner owner;
  private final ConcurrentLinkedQueue<Frame> out = new ConcurrentLinkedQueue<>();
  // counters and flags as fields with updaters rather than Atomic* objects: one idle connection, fewer objects
  private static final AtomicLongFieldUpdater<OutboundQueue> QUEUED_BYTES =
      AtomicLongFieldUpdater.newUpdater(OutboundQueue.class, "queuedBytes");
  private static final AtomicIntegerFieldUpdater<OutboundQueue> QUEUED_FRAMES =
      AtomicIntegerFieldUpdater.newUpdater(OutboundQueue.class, "queuedFrames");
  private static final AtomicIntegerFieldUpdater<OutboundQueue> FLUSH_SCHEDULED =
      AtomicIntegerFieldUpdater.newUpdater(OutboundQueue.class, "flushScheduled");
  private static final AtomicIntegerFieldUpdater<OutboundQueue> OVERFLOWED =
      AtomicIntegerFieldUpdater.newUpdater(OutboundQueue.class, "overflowed");
  private volatile long queuedBytes;
  private volatile int queuedFrames;
  private volatile int flushScheduled;
  private volatile int overflowed;
  private volatile WebSocketChannel channel;
  private volatile long inFlightBytes;
  private long dropped;
  private volatile boolean closeSent;
  private XnioExecutor.Key closeTimer;
  private FlushDrain drain;
  /** The next queue in the {@link FlushDrain}'s pending list; written only while this queue is pending. */
  OutboundQueue nextPending;

  OutboundQueue(Settings settings, Owner owner) {
    this.settings = settings;
    this.owner = owner;
  }

  /** The socket is open: frames queued so far go out now. I/O thread. */
  void attach(WebSocketChannel ch) {
    drain = FlushDrain.of(ch.getIoThread());
    channel = ch;
    scheduleFlush();
  }

  boolean closeSent() {
    return closeSent;
  }

  /** Queues a frame; any thread. */
  void enqueue(Frame f) {
    out.add(f);
    long bytes = QUEUED_BYTES.addAndGet(this, f.size()) + inFlightBytes;
    int frames = QUEUED_FRAMES.incrementAndGet(this);
    if (!f.close() && (bytes > settings.maxOutboundBytes || frames > settings.maxOutboundFrames)
        && settings.overflowPolicy == ChannelsHandler.OverflowPolicy.CLOSE && OVERFLOWED.compareAndSet(this, 0, 1)) {
      owner.overflowed(bytes, frames);
    }
    owner.sent();
    scheduleFlush();
  }

  private void scheduleFlush() {
    WebSocketChannel ch = channel;
    if (ch != null && FLUSH_SCHEDULED.compareAndSet(this, 0, 1)) {
      drain.add(this);
    }
  }

  /**
   * Flushes this connection, run by its I/O thread's {@link FlushDrain}: hands queued frames to
   * Undertow, then one gathering write.
   */
  void flush() {
    flushScheduled = 0;
    WebSocketChannel ch = channel;
    if (ch == null || !ch.isOpen()) {
      return;
    }
    if (settings.overflowPolicy == ChannelsHandler.OverflowPolicy.DROP_OLDEST) {
      trim();
    }
    Frame f;
    while (inFlightBytes < HIGH_WATER && (f = take()) != null) {
      if (closeSent) {
        continue;
      }
      if (f.close()) {
        sendClose(f.code(), f.reason(), AfterClose.AWAIT_REPLY);
        continue;
      }
      inFlightBytes += f.size();
      Sent done = new Sent(f.size());
      if (f.text() != null) {
        WebSockets.sendText(f.text(), ch, done);
      } else {
        WebSockets.sendBinary(ByteBuffer.wrap(f.bytes()), ch, done);
      }
    }
    ch.flush();
  }

  private Frame take() {
    Frame f = out.poll();
    if (f != null) {
      QUEUED_BYTES.addAndGet(this, -f.size());
      QUEUED_FRAMES.decrementAndGet(this);
    }
    return f;
  }

  private void trim() {
    while (queuedBytes + inFlightBytes > settings.maxOutboundBytes || queuedFrames > settings.maxOutboundFrames) {
      Frame f = out.peek();
      if (f == null || f.close()) {
        return;
      }
      take();
      if (dropped++ % 1000 == 0) {
        owner.dropped(dropped);
      }
    }
  }

  /** Undertow finished writing (or failed) one frame. I/O thread. */
  private final class Sent implements WebSocketCallback<Void> {
    private final int size;

    Sent(int size) {
      this.size = size;
    }

    @Override
    public void complete(WebSocketChannel ch, Void context) {
      inFlightBytes -= size;
      if (!out.isEmpty()) {
        scheduleFlush();
      }
    }

    @Override
    public void onError(WebSocketChannel ch, Void context, Throwable error) {
      inFlightBytes -= size;
      Bridge.LOG.debug("Sending a WebSocket frame failed: {}", error.toString());
      IoUtils.safeClose(ch);
    }
  }

  /**
   * Drops queued data and sends a close frame now. With {@code thenDisconnect} the socket is closed
   * as soon as the frame is written (failing the connection); otherwise the peer has {@code
   * closeTimeout} to answer. Before the socket is open the close is queued instead. I/O thread.
   */
  void closeNow(int code, String reason, boolean thenDisconnect) {
    WebSocketChannel ch = channel;
    if (ch == null) {
      enqueue(Frame.close(code, reason));
      return;
    }
    while (take() != null) {
      // dropped: the close goes ahead of them
    }
    sendClose(code, reason, thenDisconnect ? AfterClose.DISCONNECT : AfterClose.AWAIT_REPLY);
    ch.flush();
  }

  /** Sends a pong or ping now, ahead of queued data, unless a close was sent. I/O thread. */
  void control(boolean pong, ByteBuffer payload) {
    WebSocketChannel ch = channel;
    if (ch == null || closeSent) {
      return;
    }
    if (pong) {
      WebSockets.sendPong(payload, ch, null);
    } else {
      WebSockets.sendPing(payload, ch, null);
    }
    ch.flush();
  }

  /** The peer's close arrived: answer it, or close the socket if ours was already sent. I/O thread. */
  void answerClose(int code, String reason) {
    WebSocketChannel ch = channel;
    if (!closeSent) {
      sendClose(code, reason, AfterClose.DISCONNECT); // the server closes TCP first (RFC 6455 7.1.1)
      ch.flush();
    } else {
      IoUtils.safeClose(ch); // both close frames exchanged
    }
  }

  /** What follows a close frame we send. */
  private enum AfterClose {
    /** Wait {@code closeTimeout} for the peer's close, then drop it. */
    AWAIT_REPLY,
    /** Close the socket once the frame is written: the connection is failed. */
    DISCONNECT
  }

  private void sendClose(int code, String reason, AfterClose after) {
    boolean thenDisconnect = after == AfterClose.DISCONNECT;
    WebSocketChannel ch = channel;
    if (closeSent || ch == null) {
      return;
    }
    closeSent = true;
    WebSocketCallback<Void> cb = new WebSocketCallback<>() {
      @Override
      public void complete(WebSocketChannel c, Void context) {
        if (thenDisconnect) {
          IoUtils.safeClose(c);
        }
      }

      @Override
      public void onError(WebSocketChannel c, Void context, Throwable error) {
        IoUtils.safeClose(c);
      }
    };
    if (ch.isCloseFrameSent()) { // Undertow queued one itself (a protocol error it found)
      ch.flush(); // Undertow closes the socket once it is written; the close timeout is the backstop
      closeTimer = ch.getIoThread().executeAfter(() -> IoUtils.safeClose(ch), settings.closeTimeout.toMillis(),
          TimeUnit.MILLISECONDS);
      return;
    }
    if (code == CloseCodes.NO_STATUS) {
      WebSockets.sendClose(ByteBuffer.allocate(0), ch, cb);
    } else {
      WebSockets.sendClose(code, reason, ch, cb);
    }
    if (after == AfterClose.AWAIT_REPLY) {
      closeTimer = ch.getIoThread().executeAfter(() -> IoUtils.safeClose(ch), settings.closeTimeout.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** The socket is closed: forget what is queued. I/O thread. */
  void clear() {
    if (closeTimer != null) {
      closeTimer.remove();
    }
    out.clear();
  }
}
