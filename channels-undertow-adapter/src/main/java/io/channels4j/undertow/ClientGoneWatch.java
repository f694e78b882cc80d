package io.channels4j.undertow;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import org.xnio.ChannelListener;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * While an application works on a response (long polling), Undertow does not read the socket, so a
 * client that leaves would go unnoticed until the next write. This watches the raw connection
 * instead: EOF means the client is gone; bytes mean a pipelined request, which is handed back to
 * Undertow. HTTP/1.x only, I/O thread only.
 */
final class ClientGoneWatch {

  private final HttpServerConnection connection;
  private final Runnable gone;
  private ConduitStreamSourceChannel watched;
  private ChannelListener<? super ConduitStreamSourceChannel> previous;
  private ChannelListener<ConduitStreamSourceChannel> listener;

  private ClientGoneWatch(HttpServerConnection connection, Runnable gone) {
    this.connection = connection;
    this.gone = gone;
  }

  /** Starts watching; returns null (nothing to watch) if a pipelined request is already buffered. */
  static ClientGoneWatch start(HttpServerConnection connection, Runnable gone) {
    if (connection.getExtraBytes() != null) {
      return null;
    }
    ClientGoneWatch w = new ClientGoneWatch(connection, gone);
    ConduitStreamSourceChannel raw = connection.getChannel().getSourceChannel();
    w.watched = raw;
    w.previous = raw.getReadListener();
    w.listener = w::readable;
    raw.setReadListener(w.listener);
    raw.resumeReads();
    return w;
  }

  private void readable(ConduitStreamSourceChannel c) {
    if (watched != c) {
      return;
    }
    PooledByteBuffer pooled = connection.getByteBufferPool().allocate();
    try {
      int n = c.read(pooled.getBuffer());
      if (n == 0) {
        pooled.close();
        return;
      }
      stop();
      if (n > 0) {
        pooled.getBuffer().flip();
        connection.ungetRequestBytes(pooled);
      } else {
        pooled.close();
        gone.run();
      }
    } catch (IOException e) {
      pooled.close();
      stop();
      gone.run();
    }
  }

  /** Gives the raw channel back to Undertow (before the exchange ends, which re-arms Undertow's reader). */
  void stop() {
    ConduitStreamSourceChannel raw = watched;
    if (raw != null) {
      watched = null;
      if (raw.getReadListener() == listener) { // else Undertow has taken the channel back already
        raw.suspendReads();
        raw.setReadListener(previous);
      }
    }
  }
}
