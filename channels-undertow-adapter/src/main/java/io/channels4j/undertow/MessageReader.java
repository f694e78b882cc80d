package io.channels4j.undertow;

import io.channels4j.Message;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import org.xnio.ChannelListener;

/**
 * Reads frames from one WebSocket client (I/O thread): each text or binary message, all its
 * fragments, into one {@code websocket.receive} event, never keeping more than {@code
 * maxMessageSize} bytes, and the control frames (ping, pong, close). Undertow parses the frame
 * headers and checks the protocol; failures it reports are mapped to close codes by {@link
 * CloseCodes}. A message is refused (1009) as soon as a frame header declares, or the fragments
 * read so far add up to, more than the limit, before its payload is read.
 */
final class MessageReader extends AbstractReceiveListener {

  /** Where the reader delivers what it read. */
  interface Owner {
    /** A whole message; {@code size} in bytes. */
    void message(Message message, long size);

    /** Any frame arrived (for the heartbeat). */
    void alive();

    /** A ping arrived: answer it with this payload. */
    void pong(ByteBuffer payload);

    /** The peer's close frame arrived. */
    void peerClosed(int code, String reason);

    /** The peer broke a rule: fail the connection with {@code code}. */
    void violation(int code, String what);

    /** The transport failed or ended without a close frame. */
    void lost(String why);
  }

  private final long maxMessageSize;
  private final Owner owner;
  private boolean closeFrameStarted;

  MessageReader(long maxMessageSize, Owner owner) {
    this.maxMessageSize = maxMessageSize;
    this.owner = owner;
  }

  @Override
  public void handleEvent(WebSocketChannel ch) {
    // Undertow answers a frame it cannot parse with a close frame and closes the socket at once, in
    // receive(): writes must not wait for an explicit flush meanwhile, or that frame is lost
    ch.setRequireExplicitFlush(false);
    try {
      super.handleEvent(ch);
    } finally {
      ch.setRequireExplicitFlush(true);
    }
    if (ch.isOpen() && ch.isCloseFrameReceived() && !closeFrameStarted) {
      // Undertow marks end of stream as a received close: the peer left without one
      owner.lost("end of stream without a close frame");
    }
  }

  @Override
  protected void onText(WebSocketChannel ch, StreamSourceFrameChannel frame) {
    read(frame, true);
  }

  @Override
  protected void onBinary(WebSocketChannel ch, StreamSourceFrameChannel frame) {
    read(frame, false);
  }

  private void read(StreamSourceFrameChannel frame, boolean text) {
    owner.alive();
    boolean open = frame.isOpen(); // an empty final frame is complete (closed) already
    frame.setMaxStreamSize(maxMessageSize); // closes the frame at once if its header declares more
    if (open && !frame.isOpen()) {
      tooBig();
      return;
    }
    new BoundedRead(frame, text).handleEvent(frame);
  }

  @Override
  protected void onClose(WebSocketChannel ch, StreamSourceFrameChannel frame) throws IOException {
    closeFrameStarted = true;
    super.onClose(ch, frame);
  }

  @Override
  protected void onFullPingMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
    ByteBuffer payload = payload(message);
    owner.alive();
    owner.pong(payload);
  }

  @Override
  protected void onFullPongMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
    payload(message);
    owner.alive();
  }

  @Override
  protected void onFullCloseMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
    CloseCodes.Received close = CloseCodes.parse(payload(message));
    owner.alive();
    if (close.violation() != 0) {
      owner.violation(close.violation(), "a close frame with code " + close.code()
          + (close.violation() == CloseCodes.INVALID_DATA ? " and a reason that is not UTF-8" : ""));
    } else {
      owner.peerClosed(close.code(), close.reason());
    }
  }

  /** Copies a buffered control frame's payload and frees its buffers. */
  @SuppressWarnings("deprecation")
  private static ByteBuffer payload(BufferedBinaryMessage message) {
    org.xnio.Pooled<ByteBuffer[]> data = message.getData();
    try {
      return WebSockets.mergeBuffers(data.getResource());
    } finally {
      data.free();
    }
  }

  @Override
  protected void onError(WebSocketChannel ch, Throwable error) {
    failed(error);
  }

  private void failed(Throwable error) {
    int code = CloseCodes.forReadFailure(error);
    if (code != 0) {
      owner.violation(code, String.valueOf(error.getCause() != null ? error.getCause().getMessage() : error.getMessage()));
    } else {
      owner.lost(error.toString());
    }
  }

  private void tooBig() {
    owner.violation(CloseCodes.TOO_BIG, "a message over maxMessageSize " + maxMessageSize + " bytes");
  }

  /** Reads one text or binary message (all its fragments) without blocking. */
  private final class BoundedRead implements ChannelListener<StreamSourceFrameChannel> {
    private final StreamSourceFrameChannel frame;
    private final boolean text;
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();
    private final PooledByteBuffer pooled;

    BoundedRead(StreamSourceFrameChannel frame, boolean text) {
      this.frame = frame;
      this.text = text;
      this.pooled = frame.getWebSocketChannel().getBufferPool().allocate();
    }

    @Override
    public void handleEvent(StreamSourceFrameChannel c) {
      ByteBuffer buf = pooled.getBuffer();
      try {
        while (true) {
          buf.clear();
          int n = c.read(buf);
          if (n == -1) {
            c.getReadSetter().set(null);
            pooled.close();
            finished();
            return;
          }
          if (n == 0) {
            c.getReadSetter().set(this);
            c.resumeReads();
            return;
          }
          if (data.size() + n > maxMessageSize) {
            stop(c);
            tooBig();
            return;
          }
          buf.flip();
          byte[] chunk = new byte[n];
          buf.get(chunk);
          data.writeBytes(chunk);
        }
      } catch (ClosedChannelException e) {
        // the fragments' declared sizes went over the limit: Undertow closed the frame
        stop(c);
        if (frame.getWebSocketChannel().isOpen()) {
          tooBig();
        }
      } catch (IOException | RuntimeException e) {
        stop(c);
        failed(e);
      }
    }

    private void stop(StreamSourceFrameChannel c) {
      c.getReadSetter().set(null);
      pooled.close();
    }

    private void finished() {
      owner.alive();
      if (text) {
        owner.message(Message.of("websocket.receive", "text", data.toString(StandardCharsets.UTF_8)), data.size());
      } else {
        owner.message(Message.of("websocket.receive", "bytes", data.toByteArray()), data.size());
      }
    }
  }
}
