package io.channels4j.undertow;

/**
 * The state machine of one WebSocket connection, safe to drive from any thread:
 *
 * <pre>
 * HANDSHAKE --accept--> UPGRADING --upgraded--> OPEN --close sent or received--> CLOSING --socket closed--> CLOSED
 * HANDSHAKE --refused, timed out, client left--> CLOSED
 * </pre>
 *
 * <p>It also keeps how the connection ended: the peer's close frame, or the code the server failed
 * the connection with (a protocol error, an oversized message), which becomes the application's
 * {@code websocket.disconnect} code. Without either, the connection was lost: 1006.
 */
final class ConnectionState {

  enum Phase { HANDSHAKE, UPGRADING, OPEN, CLOSING, CLOSED }

  private volatile Phase phase = Phase.HANDSHAKE;
  private int failedWith;
  private boolean peerClosed;
  private int peerCode = CloseCodes.ABNORMAL;
  private String peerReason = "";

  Phase phase() {
    return phase;
  }

  /** Moves {@code from -> to}; false (and no change) if the phase is another. */
  synchronized boolean move(Phase from, Phase to) {
    if (phase != from) {
      return false;
    }
    phase = to;
    return true;
  }

  /** Starts closing an upgrading or open connection; false if it was not one. */
  synchronized boolean closing() {
    if (phase == Phase.UPGRADING || phase == Phase.OPEN) {
      phase = Phase.CLOSING;
      return true;
    }
    return false;
  }

  /**
   * The server or the application ends the connection: a handshake is refused (to CLOSED), an
   * upgrading or open connection starts closing. Returns the phase it was in.
   */
  synchronized Phase end() {
    Phase before = phase;
    if (before == Phase.HANDSHAKE) {
      phase = Phase.CLOSED;
    } else if (before == Phase.UPGRADING || before == Phase.OPEN) {
      phase = Phase.CLOSING;
    }
    return before;
  }

  /** The socket is closed; returns the phase it was in. */
  synchronized Phase closed() {
    Phase before = phase;
    phase = Phase.CLOSED;
    return before;
  }

  /** The peer's close frame arrived. */
  synchronized void peerClosed(int code, String reason) {
    peerClosed = true;
    peerCode = code;
    peerReason = reason;
    if (phase == Phase.UPGRADING || phase == Phase.OPEN) {
      phase = Phase.CLOSING;
    }
  }

  synchronized boolean peerClosed() {
    return peerClosed;
  }

  /**
   * The server ends the connection with {@code code} (a failure, shutdown, idle or lifetime limit): the
   * application's disconnect carries it, whatever the client's reply says; the first one wins.
   */
  synchronized void failedWith(int code) {
    if (failedWith == 0) {
      failedWith = code;
    }
    if (phase == Phase.UPGRADING || phase == Phase.OPEN) {
      phase = Phase.CLOSING;
    }
  }

  /** The code the application's disconnect carries: the server's failure, the peer's close, else 1006. */
  synchronized int disconnectCode() {
    return failedWith != 0 ? failedWith : peerClosed ? peerCode : CloseCodes.ABNORMAL;
  }

  synchronized String disconnectReason() {
    return failedWith == 0 && peerClosed ? peerReason : "";
  }
}
