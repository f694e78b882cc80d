package io.channels4j.undertow;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;

/**
 * The bottom read conduit of one connection accepted by {@link ConnectionGate}: while a request head is
 * arriving it counts its bytes and looks for its end (the empty line), and answers 431 when the head
 * grows past {@code maxHeaderSize}, or 408 when it is not complete within {@code headerTimeout}
 * (counted from the connection's accept for its first request, from the first byte for later ones).
 * Meanwhile the connection holds one of the handler's {@code maxConnections} slots (503 when none is
 * free). Once the head is complete the conduit only passes bytes through, until the exchange ends;
 * after a WebSocket upgrade, for good.
 */
final class HeaderWatch extends SingleBufferConduit {

  private enum State { HEADERS, REQUEST, UPGRADED, REFUSED, CLOSED }

  private final StreamConnection connection;
  private final ConnectionGate gate;
  private final InetAddress address;
  private volatile State state = State.HEADERS;
  // guarded by this
  private boolean firstRequest = true;
  private boolean started;
  private boolean holdsSlot;
  private long headBytes;
  private int lineEnds;
  private boolean sawContent;
  private XnioExecutor.Key timer;

  HeaderWatch(StreamConnection connection, ConnectionGate gate, InetAddress address) {
    super(connection.getSourceChannel().getConduit());
    this.connection = connection;
    this.gate = gate;
    this.address = address;
  }

  /** On accept: takes a slot and starts the head timer; false if refused (no slot free) or the server is stopping. */
  synchronized boolean begin() {
    started = true;
    if (!takeSlot()) {
      return false;
    }
    try {
      startTimer();
    } catch (RejectedExecutionException e) {
      // Accepted while the server stops: the I/O thread takes no more tasks, so drop the connection.
      IoUtils.safeClose(connection);
      closed();
      return false;
    }
    return true;
  }

  /**
   * Called by the handler when a request reaches it: its head is complete (if the end was not seen
   * here, the request came from bytes Undertow had buffered), and when the exchange ends the next
   * head is watched, unless the connection was upgraded.
   */
  static void onRequest(HttpServerExchange exchange) {
    if (exchange.getConnection() instanceof HttpServerConnection c
        && c.getOriginalSourceConduit() instanceof HeaderWatch watch) {
      watch.headComplete();
      exchange.addExchangeCompleteListener((ex, next) -> {
        try {
          watch.exchangeDone(ex.isUpgrade());
        } finally {
          next.proceed();
        }
      });
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    int start = dst.position();
    int n = next.read(dst);
    if (n > 0 && state == State.REFUSED) {
      dst.position(start); // a refused connection is only drained: no reader may parse what follows
      return 0;
    }
    if (n <= 0 || state != State.HEADERS) {
      return n;
    }
    synchronized (this) {
      if (state == State.HEADERS && !scan(dst, start, dst.position())) {
        dst.position(start); // refused: Undertow sees nothing more
        return 0;
      }
    }
    return n;
  }

  /** Counts head bytes in {@code buf[from, to)}; false if the head broke a limit (refusal scheduled). */
  private boolean scan(ByteBuffer buf, int from, int to) {
    if (!started) {
      started = true;
      if (!takeSlot()) {
        return false;
      }
      startTimer();
    }
    // one bulk copy out of the (direct) buffer, then a plain array scan: byte-by-byte get() costs more
    byte[] chunk = new byte[Math.min(to - from, 4096)];
    for (int at = from; at < to; at += chunk.length) {
      int n = Math.min(chunk.length, to - at);
      buf.get(at, chunk, 0, n);
      for (int i = 0; i < n; i++) {
        byte b = chunk[i];
        if (++headBytes > gate.limits.maxHeaderSize()) {
          refuseLater(431, "Request Header Fields Too Large", "request head over " + gate.limits.maxHeaderSize()
              + " bytes (maxHeaderSize)");
          return false;
        }
        if (b == '\n') {
          if (sawContent && ++lineEnds == 2) {
            headComplete();
            return true;
          }
        } else if (b != '\r') {
          lineEnds = 0;
          sawContent = true;
        }
      }
    }
    return true;
  }

  private boolean takeSlot() {
    if (gate.handler.acquireSlot()) {
      holdsSlot = true;
      return true;
    }
    refuseLater(503, "Service Unavailable", gate.handler.settings.maxConnections
        + " connections is the limit (maxConnections)");
    return false;
  }

  private synchronized void headComplete() {
    if (state == State.HEADERS) {
      state = State.REQUEST;
      stopTimer();
      releaseSlot();
    }
  }

  private synchronized void exchangeDone(boolean upgraded) {
    if (state == State.REQUEST || state == State.HEADERS) {
      stopTimer();
      releaseSlot();
      state = upgraded ? State.UPGRADED : State.HEADERS;
      firstRequest = false;
      started = false;
      headBytes = 0;
      lineEnds = 0;
      sawContent = false;
    }
  }

  private synchronized void timedOut() {
    timer = null;
    if (state == State.HEADERS) {
      refuse(408, "Request Timeout", "request head incomplete after " + gate.limits.headerTimeout().toMillis()
          + " ms (headerTimeout)" + (firstRequest ? "" : " on a kept-alive connection"));
    }
  }

  /** Refuses from inside a read: the answer is written by a task, once Undertow's read call is over. */
  private void refuseLater(int status, String text, String reason) {
    state = State.REFUSED;
    connection.getIoThread().execute(() -> answer(status, text, reason));
  }

  private synchronized void refuse(int status, String text, String reason) {
    state = State.REFUSED;
    answer(status, text, reason);
  }

  private void answer(int status, String text, String reason) {
    synchronized (this) {
      stopTimer();
      releaseSlot();
    }
    Bridge.LOG.warn("Refused a connection from {}: {}; answered {}", connection.getPeerAddress(), reason, status);
    try {
      RawAnswer.send(connection, status, text);
    } catch (RuntimeException e) { // the peer or the server went away meanwhile: nothing left to answer
      Bridge.LOG.debug("Could not answer {} to {}", status, connection.getPeerAddress(), e);
      IoUtils.safeClose(connection);
    }
  }

  /** The connection closed: frees its slot and its per-address count. Any thread, idempotent. */
  synchronized void closed() {
    if (state != State.CLOSED) {
      state = State.CLOSED;
      stopTimer();
      releaseSlot();
      gate.release(address);
    }
  }

  private void startTimer() {
    timer = connection.getIoThread().executeAfter(this::timedOut, gate.limits.headerTimeout().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void stopTimer() {
    if (timer != null) {
      timer.remove();
      timer = null;
    }
  }

  private void releaseSlot() {
    if (holdsSlot) {
      holdsSlot = false;
      gate.handler.releaseSlot();
    }
  }
}
