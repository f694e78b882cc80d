package io.channels4j.undertow;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;

/**
 * One WebSocket connection. The handshake waits for the application: {@code websocket.accept}
 * upgrades (with its subprotocol and headers), {@code websocket.close} answers 403, and the Denial
 * Response extension ({@code websocket.http.response.*}) answers with the application's own status.
 *
 * <p>Outbound frames go to a bounded queue; one flush task per connection, scheduled at most once per
 * I/O round, hands them to Undertow and writes them in one gathering write ({@code
 * requireExplicitFlush}). Only a bounded amount is handed to Undertow at a time, so a client that stops
 * reading fills our queue, where the overflow policy applies, rather than memory.
 */
final class WebSocketBridge extends Bridge {

  private enum State { HANDSHAKE, UPGRADING, OPEN, CLOSING, CLOSED }

  private static final int NO_STATUS = 1005;
  private static final int ABNORMAL = 1006;
  private static final long HIGH_WATER = 256 * 1024;
  private static final Set<WebSocketChannel> NO_PEERS = ConcurrentHashMap.newKeySet();

  private final List<String> offered;
  private final AsyncWebSocketHttpServerExchange facade;
  private volatile State state = State.HANDSHAKE;
  private volatile WebSocketChannel channel;

  // outbound
  private final ConcurrentLinkedQueue<Frame> out = new ConcurrentLinkedQueue<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicInteger queuedFrames = new AtomicInteger();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicBoolean overflowed = new AtomicBoolean();
  private volatile long inFlightBytes;
  private long dropped;
  private boolean closeSent;

  // denial response (guarded by this)
  private int denialStatus;
  private List<Header> denialHeaders;
  private ByteArrayOutputStream denialBody;

  // liveness, I/O thread
  private volatile long lastReceived;
  private volatile long lastSent;
  private long pingSentAt;
  private XnioExecutor.Key handshakeTimer;
  private XnioExecutor.Key tickTimer;
  private XnioExecutor.Key closeTimer;
  private volatile boolean closeReceived;
  private volatile int closeCode = ABNORMAL;
  private volatile String closeReason = "";

  WebSocketBridge(ChannelsHandler handler, HttpServerExchange exchange) {
    super(handler, exchange);
    this.offered = Scopes.subprotocols(exchange);
    this.facade = new AsyncWebSocketHttpServerExchange(exchange, NO_PEERS);
  }

  @Override
  void start() {
    scope = Scopes.websocket(settings, exchange, offered);
    if (!exchange.getRequestMethod().equalToString("GET") || !handshake(null).matches(facade)) {
      ChannelsHandler.reject(exchange, 400, "Unsupported WebSocket handshake (RFC 6455 version 13 is required)");
      releaseNow();
      return;
    }
    exchange.getConnection().addCloseListener(c -> {
      if (state == State.HANDSHAKE) {
        ended(State.HANDSHAKE, ABNORMAL);
      }
    });
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
      handshakeTimer = exchange.getIoThread().executeAfter(
          this::handshakeTimedOut, settings.handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS);
      inbox.offer(Message.of("websocket.connect"));
      runApplication();
    });
  }

  private Handshake handshake(String subprotocol) {
    Hybi13Handshake h = new Hybi13Handshake(subprotocol == null ? Set.of() : Set.of(subprotocol), settings.perMessageDeflate);
    if (settings.perMessageDeflate) {
      h.addExtension(new PerMessageDeflateHandshake(false));
    }
    return h;
  }

  // ---------------------------------------------------------------- application -> client

  @Override
  public CompletionStage<Void> send(Message message) {
    switch (message.type()) {
      case "websocket.send":
        return sendFrame(message);
      case "websocket.accept":
        return accept(message);
      case "websocket.close":
        return close(message);
      case "websocket.http.response.start":
        return denialStart(message);
      case "websocket.http.response.body":
        return denialBody(message);
      default:
        return failed(new IllegalArgumentException("WebSocket application sent event type '" + message.type()
            + "'; expected websocket.accept, websocket.send, websocket.close or websocket.http.response.*"));
    }
  }

  private CompletionStage<Void> sendFrame(Message message) {
    String text = message.getString("text");
    byte[] bytes = message.has("bytes") ? message.getBytes("bytes") : null;
    if ((text == null) == (bytes == null)) {
      return failed(new IllegalArgumentException(
          "websocket.send needs exactly one of 'text' and 'bytes', got " + message.asMap().keySet()));
    }
    State s = state;
    if (s == State.HANDSHAKE) {
      return failed(new IllegalStateException("websocket.send before websocket.accept on " + path()));
    }
    if (s == State.UPGRADING || s == State.OPEN) {
      enqueue(text != null ? Frame.text(text) : Frame.binary(bytes));
    }
    return Application.done(); // after close: dropped, like a frame lost in transit
  }

  private CompletionStage<Void> accept(Message message) {
    String sub = message.getString("subprotocol");
    List<Header> headers;
    try {
      headers = Header.fromMessageValue(message.get("headers"));
    } catch (IllegalArgumentException e) {
      return failed(e);
    }
    if (sub != null && !offered.contains(sub)) {
      return failed(new IllegalArgumentException(
          "websocket.accept subprotocol must be one the client offered " + offered + ", got '" + sub + "'"));
    }
    for (Header h : headers) {
      if (h.name().equals("sec-websocket-protocol")) {
        return failed(new IllegalArgumentException(
            "websocket.accept headers must not contain sec-websocket-protocol; use 'subprotocol'"));
      }
    }
    synchronized (this) {
      if (state != State.HANDSHAKE) {
        if (state == State.CLOSED) {
          return Application.done(); // timed out or the client left: the disconnect is on its way
        }
        return failed(new IllegalStateException("websocket.accept sent twice on " + path()));
      }
      state = State.UPGRADING;
    }
    exchange.getIoThread().execute(() -> upgrade(sub, headers));
    return Application.done();
  }

  private CompletionStage<Void> close(Message message) {
    int code = message.getInt("code", 1000);
    String reason = message.getString("reason");
    synchronized (this) {
      switch (state) {
        case HANDSHAKE:
          state = State.CLOSED;
          exchange.getIoThread().execute(() -> refuse(403, "Access denied", List.of(), code));
          return Application.done();
        case UPGRADING:
        case OPEN:
          state = State.CLOSING;
          break;
        default:
          return Application.done();
      }
    }
    enqueue(Frame.close(code, reason == null ? "" : reason));
    return Application.done();
  }

  private CompletionStage<Void> denialStart(Message message) {
    int status = message.getInt("status", -1);
    if (status < 100 || status > 999) {
      return failed(new IllegalArgumentException("websocket.http.response.start status must be 100-999, got " + status));
    }
    List<Header> headers;
    try {
      headers = Header.fromMessageValue(message.get("headers"));
    } catch (IllegalArgumentException e) {
      return failed(e);
    }
    synchronized (this) {
      if (state != State.HANDSHAKE || denialBody != null) {
        return failed(new IllegalStateException(
            "websocket.http.response.start is only allowed once, before websocket.accept, on " + path()));
      }
      denialStatus = status;
      denialHeaders = headers;
      denialBody = new ByteArrayOutputStream();
    }
    return Application.done();
  }

  private CompletionStage<Void> denialBody(Message message) {
    byte[] chunk = message.getBytes("body");
    boolean more = message.getBoolean("more_body", false);
    synchronized (this) {
      if (state != State.HANDSHAKE || denialBody == null) {
        return failed(new IllegalStateException(
            "websocket.http.response.body must follow websocket.http.response.start, before accept, on " + path()));
      }
      if (chunk != null) {
        denialBody.writeBytes(chunk);
      }
      if (more) {
        return Application.done();
      }
      state = State.CLOSED;
    }
    String body = denialBody.toString(StandardCharsets.ISO_8859_1);
    exchange.getIoThread().execute(() -> refuse(denialStatus, body, denialHeaders, 1000));
    return Application.done();
  }

  // ---------------------------------------------------------------- handshake outcomes (I/O thread)

  private void upgrade(String subprotocol, List<Header> headers) {
    cancel(handshakeTimer);
    if (state != State.UPGRADING && state != State.CLOSING) {
      return;
    }
    for (Header h : headers) {
      exchange.getResponseHeaders().add(new HttpString(h.name()), h.value());
    }
    Handshake handshake = handshake(subprotocol);
    exchange.upgradeChannel((connection, ex) -> opened(handshake.createChannel(facade, connection, facade.getBufferPool())));
    handshake.handshake(facade);
  }

  private void opened(WebSocketChannel ch) {
    ch.setRequireExplicitFlush(true);
    ch.getReceiveSetter().set(new Listener());
    ch.addCloseTask(c -> closed());
    lastReceived = lastSent = System.nanoTime();
    channel = ch;
    synchronized (this) {
      if (state == State.UPGRADING) {
        state = State.OPEN;
      }
    }
    AccessLog.wsConnect(scope.client().orElse(null), path());
    long tick = tickMillis();
    if (tick > 0) {
      tickTimer = ch.getIoThread().executeAfter(this::tick, tick, TimeUnit.MILLISECONDS);
    }
    ch.resumeReceives();
    scheduleFlush();
  }

  /** Answers the handshake with an HTTP response instead of upgrading. */
  private void refuse(int status, String body, List<Header> headers, int disconnectCode) {
    cancel(handshakeTimer);
    exchange.setStatusCode(status);
    for (Header h : headers) {
      exchange.getResponseHeaders().add(new HttpString(h.name()), h.value());
    }
    byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
    exchange.setResponseContentLength(bytes.length);
    exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    AccessLog.wsReject(scope.client().orElse(null), path(), status, startNanos);
    inbox.terminate(disconnect(disconnectCode, ""));
    transportDone();
  }

  private void handshakeTimedOut() {
    synchronized (this) {
      if (state != State.HANDSHAKE) {
        return;
      }
      state = State.CLOSED;
    }
    LOG.warn("WebSocket handshake for {} timed out after {} ms: the application neither accepted nor closed it; "
        + "answering 403", path(), settings.handshakeTimeout.toMillis());
    refuse(403, "Access denied", List.of(), ABNORMAL);
  }

  /** The transport ended while in {@code expected}: tell the application. */
  private void ended(State expected, int code) {
    synchronized (this) {
      if (state != expected) {
        return;
      }
      state = State.CLOSED;
    }
    cancel(handshakeTimer);
    inbox.terminate(disconnect(code, ""));
    transportDone();
  }

  // ---------------------------------------------------------------- outbound queue

  private void enqueue(Frame f) {
    out.add(f);
    long bytes = queuedBytes.addAndGet(f.size) + inFlightBytes;
    int frames = queuedFrames.incrementAndGet();
    if (!f.close && (bytes > settings.maxOutboundBytes || frames > settings.maxOutboundFrames)) {
      overflow(bytes, frames);
    }
    lastSent = System.nanoTime();
    scheduleFlush();
  }

  private void overflow(long bytes, int frames) {
    settings.observer.outboundOverflow(scope); // metrics hook
    if (settings.overflowPolicy == ChannelsHandler.OverflowPolicy.DROP_OLDEST) {
      return; // the flush task trims
    }
    if (overflowed.compareAndSet(false, true)) {
      LOG.warn("WebSocket {} client {} is too slow: {} bytes in {} frames queued (maxOutboundBytes {}, "
              + "maxOutboundFrames {}); closing it with 1008", path(), scope.client().orElse(null), bytes, frames,
          settings.maxOutboundBytes, settings.maxOutboundFrames);
      synchronized (this) {
        if (state == State.UPGRADING || state == State.OPEN) {
          state = State.CLOSING;
        }
      }
      runOnIo(() -> closeNow(1008, "outbound buffer full"));
    }
  }

  private void scheduleFlush() {
    WebSocketChannel ch = channel;
    if (ch != null && flushScheduled.compareAndSet(false, true)) {
      ch.getIoThread().execute(this::flush);
    }
  }

  /** The per-connection flush task: hand queued frames to Undertow, then one gathering write. */
  private void flush() {
    flushScheduled.set(false);
    WebSocketChannel ch = channel;
    if (ch == null || !ch.isOpen()) {
      return;
    }
    if (settings.overflowPolicy == ChannelsHandler.OverflowPolicy.DROP_OLDEST) {
      trim();
    }
    Frame f;
    while (inFlightBytes < HIGH_WATER && (f = out.poll()) != null) {
      queuedBytes.addAndGet(-f.size);
      queuedFrames.decrementAndGet();
      if (closeSent) {
        continue;
      }
      if (f.close) {
        sendClose(f.code, f.reason);
        continue;
      }
      inFlightBytes += f.size;
      Sent done = new Sent(f.size);
      if (f.text != null) {
        WebSockets.sendText(f.text, ch, done);
      } else {
        WebSockets.sendBinary(ByteBuffer.wrap(f.bytes), ch, done);
      }
    }
    ch.flush();
  }

  private void trim() {
    while (queuedBytes.get() + inFlightBytes > settings.maxOutboundBytes
        || queuedFrames.get() > settings.maxOutboundFrames) {
      Frame f = out.peek();
      if (f == null || f.close) {
        return;
      }
      out.poll();
      queuedBytes.addAndGet(-f.size);
      queuedFrames.decrementAndGet();
      if (dropped++ % 1000 == 0) {
        LOG.warn("WebSocket {} client {} is too slow: dropped {} oldest frame(s) so far (maxOutboundBytes {}, "
            + "maxOutboundFrames {})", path(), scope.client().orElse(null), dropped, settings.maxOutboundBytes,
            settings.maxOutboundFrames);
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
      LOG.debug("Sending to WebSocket {} failed: {}", path(), error.toString());
      IoUtils.safeClose(ch);
    }
  }

  /** Sends a close frame now (ahead of queued data) and drops the peer if it does not answer. */
  private void closeNow(int code, String reason) {
    WebSocketChannel ch = channel;
    if (ch == null) {
      enqueue(Frame.close(code, reason));
      return;
    }
    Frame f;
    while ((f = out.poll()) != null) {
      queuedBytes.addAndGet(-f.size);
      queuedFrames.decrementAndGet();
    }
    sendClose(code, reason);
    ch.flush();
  }

  private void sendClose(int code, String reason) {
    WebSocketChannel ch = channel;
    if (closeSent || ch == null) {
      return;
    }
    closeSent = true;
    WebSocketCallback<Void> cb = new WebSocketCallback<>() {
      @Override
      public void complete(WebSocketChannel c, Void context) {}

      @Override
      public void onError(WebSocketChannel c, Void context, Throwable error) {
        IoUtils.safeClose(c);
      }
    };
    if (code == NO_STATUS) {
      WebSockets.sendClose(ByteBuffer.allocate(0), ch, cb);
    } else {
      WebSockets.sendClose(code, reason, ch, cb);
    }
    if (!closeReceived) {
      closeTimer = ch.getIoThread().executeAfter(() -> IoUtils.safeClose(ch), settings.closeTimeout.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  // ---------------------------------------------------------------- liveness

  private long tickMillis() {
    long t = Long.MAX_VALUE;
    if (!settings.pingInterval.isZero()) {
      t = Math.min(settings.pingInterval.toMillis(), settings.pingTimeout.toMillis());
    }
    if (!settings.idleTimeout.isZero()) {
      t = Math.min(t, settings.idleTimeout.toMillis());
    }
    return t == Long.MAX_VALUE ? 0 : Math.max(1, t);
  }

  private void tick() {
    WebSocketChannel ch = channel;
    if (ch == null || !ch.isOpen() || state == State.CLOSED) {
      return;
    }
    long now = System.nanoTime();
    if (!settings.pingInterval.isZero()) {
      if (pingSentAt != 0 && lastReceived - pingSentAt < 0 && now - pingSentAt >= settings.pingTimeout.toNanos()) {
        LOG.info("WebSocket {} client {} did not answer a ping within {} ms; dropping it", path(),
            scope.client().orElse(null), settings.pingTimeout.toMillis());
        IoUtils.safeClose(ch);
        return;
      }
      boolean outstanding = pingSentAt != 0 && lastReceived - pingSentAt < 0;
      if (!outstanding && now - lastReceived >= settings.pingInterval.toNanos() && !closeSent) {
        pingSentAt = now;
        WebSockets.sendPing(ByteBuffer.allocate(0), ch, null);
        ch.flush();
      }
    }
    if (!settings.idleTimeout.isZero() && now - Math.max(lastReceived, lastSent) >= settings.idleTimeout.toNanos()
        && !closeSent) {
      LOG.info("WebSocket {} idle for {} ms; closing it with 1001", path(), settings.idleTimeout.toMillis());
      synchronized (this) {
        if (state == State.OPEN) {
          state = State.CLOSING;
        }
      }
      closeNow(1001, "idle timeout");
    }
    tickTimer = ch.getIoThread().executeAfter(this::tick, tickMillis(), TimeUnit.MILLISECONDS);
  }

  // ---------------------------------------------------------------- client -> application

  private final class Listener extends AbstractReceiveListener {

    @Override
    protected void onText(WebSocketChannel ch, StreamSourceFrameChannel frame) {
      new BoundedRead(frame, true).handleEvent(frame);
    }

    @Override
    protected void onBinary(WebSocketChannel ch, StreamSourceFrameChannel frame) {
      new BoundedRead(frame, false).handleEvent(frame);
    }

    @Override
    @SuppressWarnings("deprecation")
    protected void onFullPingMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
      lastReceived = System.nanoTime();
      org.xnio.Pooled<ByteBuffer[]> data = message.getData();
      ByteBuffer payload = WebSockets.mergeBuffers(data.getResource());
      data.free();
      if (!closeSent) {
        WebSockets.sendPong(payload, ch, null);
        ch.flush();
      }
    }

    @Override
    @SuppressWarnings("deprecation")
    protected void onFullPongMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
      lastReceived = System.nanoTime();
      message.getData().free();
    }

    @Override
    @SuppressWarnings("deprecation")
    protected void onFullCloseMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
      lastReceived = System.nanoTime();
      org.xnio.Pooled<ByteBuffer[]> data = message.getData();
      ByteBuffer payload = WebSockets.mergeBuffers(data.getResource());
      data.free();
      int code = NO_STATUS;
      String reason = "";
      if (payload.remaining() >= 2) {
        code = (payload.get() & 0xff) << 8 | (payload.get() & 0xff);
        reason = StandardCharsets.UTF_8.decode(payload).toString();
      }
      closeCode = code;
      closeReason = reason;
      closeReceived = true;
      synchronized (WebSocketBridge.this) {
        if (state == State.OPEN || state == State.UPGRADING) {
          state = State.CLOSING;
        }
      }
      if (!closeSent) {
        sendClose(code, reason);
        ch.flush();
      } else {
        IoUtils.safeClose(ch); // both close frames exchanged
      }
    }

    @Override
    protected void onError(WebSocketChannel ch, Throwable error) {
      LOG.debug("WebSocket {} failed: {}", path(), error.toString());
      IoUtils.safeClose(ch);
    }
  }

  /**
   * Reads one text or binary message (all its fragments) without blocking, keeping at most {@code
   * maxMessageSize} bytes. A larger message is read to its end and dropped, and the connection is closed
   * with 1009; reading it through keeps the channel able to receive the client's close reply.
   */
  private final class BoundedRead implements ChannelListener<StreamSourceFrameChannel> {
    private final StreamSourceFrameChannel frame;
    private final boolean text;
    private ByteArrayOutputStream data = new ByteArrayOutputStream();
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
          if (data != null) {
            if (data.size() + n > settings.maxMessageSize) {
              data = null; // too big: keep reading to the end, keep nothing
            } else {
              buf.flip();
              byte[] chunk = new byte[buf.remaining()];
              buf.get(chunk);
              data.writeBytes(chunk);
            }
          }
        }
      } catch (IOException | RuntimeException e) {
        pooled.close();
        LOG.debug("Reading a frame from WebSocket {} failed: {}", path(), e.toString());
        IoUtils.safeClose(frame.getWebSocketChannel());
      }
    }

    private void finished() {
      lastReceived = System.nanoTime();
      if (data == null) {
        LOG.info("WebSocket {} client {} sent a message over maxMessageSize {} bytes; closing it with 1009", path(),
            scope.client().orElse(null), settings.maxMessageSize);
        synchronized (WebSocketBridge.this) {
          if (state == State.OPEN) {
            state = State.CLOSING;
          }
        }
        closeNow(1009, "message too big");
        return;
      }
      if (text) {
        inbox.offer(Message.of("websocket.receive", "text", data.toString(StandardCharsets.UTF_8)));
      } else {
        inbox.offer(Message.of("websocket.receive", "bytes", data.toByteArray()));
      }
    }
  }

  /** The socket is closed (close task). I/O thread. */
  private void closed() {
    synchronized (this) {
      state = State.CLOSED;
    }
    cancel(tickTimer);
    cancel(closeTimer);
    int code = closeReceived ? closeCode : ABNORMAL;
    out.clear();
    AccessLog.wsDisconnect(scope.client().orElse(null), path(), code, startNanos);
    inbox.terminate(disconnect(code, closeReceived ? closeReason : ""));
    transportDone();
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  void appFinished(Throwable error) {
    if (error != null) {
      LOG.error("Application failed on WebSocket {}", path(), error);
    }
    State s;
    synchronized (this) {
      s = state;
      if (s == State.HANDSHAKE) {
        state = State.CLOSED;
      } else if (s == State.UPGRADING || s == State.OPEN) {
        state = State.CLOSING;
      }
    }
    switch (s) {
      case HANDSHAKE:
        if (error == null) {
          LOG.error("Application returned without accepting or closing WebSocket {}; answering 500", path());
        }
        exchange.getIoThread().execute(() -> refuse(500, "Internal Server Error", List.of(), ABNORMAL));
        break;
      case UPGRADING:
      case OPEN:
        enqueue(error != null ? Frame.close(1011, "internal error") : Frame.close(1000, ""));
        break;
      default:
        break;
    }
  }

  @Override
  void goingAway() {
    State s;
    synchronized (this) {
      s = state;
      if (s == State.HANDSHAKE) {
        state = State.CLOSED;
      } else if (s == State.UPGRADING || s == State.OPEN) {
        state = State.CLOSING;
      }
    }
    if (s == State.HANDSHAKE) {
      exchange.getIoThread().execute(() -> refuse(503, "Server is shutting down", List.of(), 1001));
    } else if (s == State.UPGRADING || s == State.OPEN) {
      runOnIo(() -> closeNow(1001, "server shutting down"));
    }
  }

  private void runOnIo(Runnable task) {
    WebSocketChannel ch = channel;
    (ch != null ? ch.getIoThread() : exchange.getIoThread()).execute(task);
  }

  private static Message disconnect(int code, String reason) {
    return Message.of("websocket.disconnect", "code", code, "reason", reason);
  }

  private static void cancel(XnioExecutor.Key key) {
    if (key != null) {
      key.remove();
    }
  }

  /** One queued outbound frame. */
  private static final class Frame {
    final String text;
    final byte[] bytes;
    final boolean close;
    final int code;
    final String reason;
    final int size;

    private Frame(String text, byte[] bytes, boolean close, int code, String reason, int size) {
      this.text = text;
      this.bytes = bytes;
      this.close = close;
      this.code = code;
      this.reason = reason;
      this.size = size;
    }

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
}
