package io.channels4j.undertow;

import io.undertow.websockets.core.WebSocketChannel;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * The liveness rules of one open WebSocket: a ping after {@code pingInterval} without a frame from
 * the peer, the peer dropped if nothing arrives within {@code pingTimeout} of that ping, and a close
 * (1001) after {@code idleTimeout} without a frame either way, a close (1000) after {@code websocketTimeout}. One timer, always set for the next
 * deadline, so each rule fires on time rather than on the next tick. While the connection's reads
 * are paused for back-pressure, the peer is not held responsible for our silence. I/O thread.
 */
final class Heartbeat {

  /** What the heartbeat asks of its connection. */
  interface Owner {
    /** Reads are paused because the application is behind. */
    boolean readsPaused();

    /** No frame arrived within the ping timeout: drop the peer. */
    void pingTimedOut();

    /** No frame either way within the idle timeout: close with 1001. */
    void idle();

    /** Open for {@code websocketTimeout}: close with 1000. */
    void lifetimeOver();
  }

  private final Settings settings;
  private final Owner owner;
  private final OutboundQueue queue;
  private volatile long lastReceived;
  private volatile long lastSent;
  private long pingSentAt;
  private boolean pingOutstanding;
  private long openedAt;
  private boolean lifetimeOver;
  private WebSocketChannel channel;
  private XnioExecutor.Key timer;

  Heartbeat(Settings settings, Owner owner, OutboundQueue queue) {
    this.settings = settings;
    this.owner = owner;
    this.queue = queue;
  }

  /** A frame arrived from the peer. Any thread. */
  void received() {
    lastReceived = System.nanoTime();
  }

  /** A frame was queued for the peer. Any thread. */
  void sent() {
    lastSent = System.nanoTime();
  }

  /** Starts the timers on an open channel. I/O thread. */
  void start(WebSocketChannel ch) {
    channel = ch;
    openedAt = lastReceived = lastSent = System.nanoTime();
    schedule(lastReceived);
  }

  /** Stops the timers (the socket closed). I/O thread. */
  void stop() {
    if (timer != null) {
      timer.remove();
      timer = null;
    }
    channel = null;
  }

  private void check() {
    timer = null;
    WebSocketChannel ch = channel;
    if (ch == null || !ch.isOpen()) {
      return;
    }
    long now = System.nanoTime();
    if (!settings.websocketTimeout.isZero() && !lifetimeOver && now - openedAt >= settings.websocketTimeout.toNanos()) {
      lifetimeOver = true;
      if (!queue.closeSent()) {
        owner.lifetimeOver();
      }
    }
    if (owner.readsPaused()) {
      lastReceived = now;
    }
    if (pingOutstanding && lastReceived - pingSentAt >= 0) {
      pingOutstanding = false; // answered (a pong or any frame)
    }
    if (!settings.pingInterval.isZero()) {
      if (pingOutstanding && now - pingSentAt >= settings.pingTimeout.toNanos()) {
        owner.pingTimedOut();
        return;
      }
      if (!pingOutstanding && now - lastReceived >= settings.pingInterval.toNanos() && !queue.closeSent()) {
        pingSentAt = now;
        pingOutstanding = true;
        queue.control(false, ByteBuffer.allocate(0));
      }
    }
    if (!settings.idleTimeout.isZero() && now - Math.max(lastReceived, lastSent) >= settings.idleTimeout.toNanos()
        && !queue.closeSent()) {
      owner.idle();
    }
    schedule(now);
  }

  /** Sets the timer for the earliest of: the next ping, the ping's deadline, the idle deadline. */
  private void schedule(long now) {
    long next = Long.MAX_VALUE;
    if (!settings.pingInterval.isZero()) {
      next = pingOutstanding ? pingSentAt + settings.pingTimeout.toNanos()
          : lastReceived + settings.pingInterval.toNanos();
    }
    if (!settings.idleTimeout.isZero()) {
      long idleAt = Math.max(lastReceived, lastSent) + settings.idleTimeout.toNanos();
      next = next == Long.MAX_VALUE ? idleAt : (next - idleAt < 0 ? next : idleAt);
    }
    if (!settings.websocketTimeout.isZero() && !lifetimeOver) {
      long endAt = openedAt + settings.websocketTimeout.toNanos();
      next = next == Long.MAX_VALUE || endAt - next < 0 ? endAt : next;
    }
    if (next == Long.MAX_VALUE || channel == null) {
      return;
    }
    long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - now) + 1);
    timer = channel.getIoThread().executeAfter(this::check, delayMillis, TimeUnit.MILLISECONDS);
  }
}
