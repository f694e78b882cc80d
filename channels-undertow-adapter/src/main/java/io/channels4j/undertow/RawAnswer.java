package io.channels4j.undertow;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.conduits.ConduitStreamSinkChannel;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * A plain-text answer written straight to a connection no HTTP exchange owns (refused before or while
 * its request head arrives), then a lingering close: the write side is shut, and what the client still
 * sends is read and dropped for a moment, so the answer is not lost to a TCP reset. I/O thread only.
 */
final class RawAnswer {

  /** How long a refused connection is drained before it is closed. */
  static final long LINGER_MILLIS = 1000;
  /** Most bytes drained from a refused connection before it is closed. */
  static final long LINGER_BYTES = 1 << 20;

  private RawAnswer() {}

  static void send(StreamConnection connection, int status, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " " + text + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
    ByteBuffer answer = ByteBuffer.allocate(head.length() + body.length)
        .put(head.getBytes(StandardCharsets.ISO_8859_1)).put(body).flip();
    ConduitStreamSinkChannel sink = connection.getSinkChannel();
    try {
      sink.write(answer); // a few bytes into an empty send buffer; a client that cannot take them is just closed
      sink.shutdownWrites();
      sink.flush();
    } catch (IOException e) {
      IoUtils.safeClose(connection);
      return;
    }
    ConduitStreamSourceChannel source = connection.getSourceChannel();
    long[] drained = new long[1];
    ByteBuffer scratch = ByteBuffer.allocate(4096);
    source.setReadListener(c -> {
      try {
        int n;
        while ((n = c.read(scratch.clear())) > 0) {
          drained[0] += n;
        }
        if (n < 0 || drained[0] > LINGER_BYTES) {
          IoUtils.safeClose(connection);
        }
      } catch (IOException e) {
        IoUtils.safeClose(connection);
      }
    });
    source.resumeReads();
    connection.getIoThread().executeAfter(() -> IoUtils.safeClose(connection), LINGER_MILLIS, TimeUnit.MILLISECONDS);
  }
}
