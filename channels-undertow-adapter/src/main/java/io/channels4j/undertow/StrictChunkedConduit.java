package io.channels4j.undertow;

import io.undertow.conduits.ReadDataStreamSourceConduit;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.Connectors;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.xnio.conduits.StreamSourceConduit;

/**
 * Decodes a {@code Transfer-Encoding: chunked} request body strictly (RFC 9112 section 7.1), in place of
 * Undertow's decoder, which accepts bare LF line ends, junk after a chunk size and junk between a
 * chunk and its CRLF: the differences request smuggling lives on. Any deviation fails the read with
 * {@link Malformed} (answered 400 by {@link HttpBridge}); later reads see end of stream. At the end of the
 * body, bytes read past it (a pipelined request) are handed back to the connection.
 */
final class StrictChunkedConduit extends SingleBufferConduit {

  /** The chunked framing of a request body is broken; the message says how. */
  static final class Malformed extends IOException {
    Malformed(String message) {
      super(message);
    }
  }

  private enum State { SIZE_START, SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER,
    TRAILER_LF, END_LF, DONE, FAILED }

  /** At most 15 hex digits, so a size never overflows a long. */
  private static final int MAX_SIZE_DIGITS = 15;

  private final HttpServerExchange exchange;
  private final HttpServerConnection connection;
  private final ByteBuffer raw = ByteBuffer.allocate(4096).flip();
  private State state = State.SIZE_START;
  private long remaining;
  private int digits;

  private StrictChunkedConduit(StreamSourceConduit next, HttpServerExchange exchange, HttpServerConnection connection) {
    super(next);
    this.exchange = exchange;
    this.connection = connection;
  }

  /** Replaces Undertow's chunked decoder on an HTTP/1.1 exchange; false if the connection is not HTTP/1.x. */
  static boolean install(HttpServerExchange exchange) {
    if (!(exchange.getConnection() instanceof HttpServerConnection c)) {
      return false;
    }
    var source = c.getChannel().getSourceChannel();
    source.setConduit(new StrictChunkedConduit(new ReadDataStreamSourceConduit(c.getOriginalSourceConduit(), c),
        exchange, c));
    return true;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    while (true) {
      if (state == State.DONE || state == State.FAILED) {
        return -1;
      }
      if (!dst.hasRemaining()) {
        return 0;
      }
      if (state == State.DATA) {
        return readData(dst);
      }
      if (!raw.hasRemaining() && !fill()) {
        return 0;
      }
      while (raw.hasRemaining() && state != State.DATA && state != State.DONE) {
        frame(raw.get());
      }
      if (state == State.DONE) {
        finish();
        return -1;
      }
    }
  }

  private int readData(ByteBuffer dst) throws IOException {
    int n;
    if (raw.hasRemaining()) {
      n = (int) Math.min(Math.min(raw.remaining(), dst.remaining()), remaining);
      ByteBuffer slice = raw.slice();
      slice.limit(n);
      dst.put(slice);
      raw.position(raw.position() + n);
    } else {
      int limit = dst.limit();
      if (remaining < dst.remaining()) {
        dst.limit(dst.position() + (int) remaining);
      }
      try {
        n = next.read(dst);
      } finally {
        dst.limit(limit);
      }
      if (n < 0) {
        throw fail("the connection ended inside a chunk");
      }
    }
    remaining -= n;
    if (remaining == 0) {
      state = State.DATA_CR;
    }
    return n;
  }

  private boolean fill() throws IOException {
    raw.clear();
    int n;
    try {
      n = next.read(raw);
    } finally {
      raw.flip();
    }
    if (n < 0) {
      throw fail("the connection ended before the last chunk");
    }
    return n > 0;
  }

  private void frame(byte b) throws Malformed {
    switch (state) {
      case SIZE_START, SIZE -> {
        int d = Character.digit(b, 16);
        if (d >= 0) {
          if (++digits > MAX_SIZE_DIGITS) {
            throw fail("chunk size too long");
          }
          remaining = remaining << 4 | d;
          state = State.SIZE;
        } else if (state == State.SIZE && (b == ';' || b == ' ' || b == '\t')) {
          state = State.EXTENSION;
        } else if (state == State.SIZE && b == '\r') {
          state = State.SIZE_LF;
        } else {
          throw fail(b == '\n' ? "bare LF after a chunk size" : "bad character " + (b & 0xff) + " in a chunk size");
        }
      }
      case EXTENSION -> state = lineByte(b, State.EXTENSION, State.SIZE_LF, "chunk extension");
      case SIZE_LF -> {
        digits = 0;
        state = expect(b, '\n', remaining == 0 ? State.TRAILER_START : State.DATA, "CR without LF after a chunk size");
      }
      case DATA_CR -> state = expect(b, '\r', State.DATA_LF, "chunk data longer than its size, or not ended by CRLF");
      case DATA_LF -> state = expect(b, '\n', State.SIZE_START, "chunk data not ended by CRLF");
      case TRAILER_START -> state = b == '\r' ? State.END_LF : lineByte(b, State.TRAILER, State.TRAILER_LF, "trailer");
      case TRAILER -> state = lineByte(b, State.TRAILER, State.TRAILER_LF, "trailer");
      case TRAILER_LF -> state = expect(b, '\n', State.TRAILER_START, "trailer line not ended by CRLF");
      case END_LF -> state = expect(b, '\n', State.DONE, "last chunk not ended by CRLF");
      default -> throw new IllegalStateException("no framing in state " + state);
    }
  }

  /** A byte of a header-like line: CR ends it, a bare LF or another control character is an error. */
  private State lineByte(byte b, State same, State afterCr, String what) throws Malformed {
    if (b == '\r') {
      return afterCr;
    }
    if (b == '\n') {
      throw fail("bare LF in a " + what);
    }
    if ((b >= 0 && b < 0x20 && b != '\t') || b == 0x7f) {
      throw fail("control character " + b + " in a " + what);
    }
    return same;
  }

  /** {@code then} if {@code b} is {@code wanted}, else the failure {@code problem}. */
  private State expect(byte b, char wanted, State then, String problem) throws Malformed {
    if (b != wanted) {
      throw fail(problem);
    }
    return then;
  }

  private Malformed fail(String problem) {
    state = State.FAILED;
    return new Malformed(problem);
  }

  /** The body is complete: hands bytes read past it back to the connection, then ends the request. */
  private void finish() {
    if (raw.hasRemaining()) {
      PooledByteBuffer extra = connection.getByteBufferPool().allocate();
      extra.getBuffer().clear();
      extra.getBuffer().put(raw).flip();
      connection.ungetRequestBytes(extra);
    }
    Connectors.terminateRequest(exchange);
  }
}
