package io.channels4j.undertow;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.internal.LogText;
import io.channels4j.undertow.ConnectionState.Phase;
import io.channels4j.undertow.OutboundQueue.Frame;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.protocol.Handshake;
import io.undertow.websockets.core.protocol.version13.Hybi13Handshake;
import io.undertow.websockets.extensions.PerMessageDeflateHandshake;
import io.undertow.websockets.spi.AsyncWebSocketHttpServerExchange;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.XnioExecutor;

/**
 * One WebSocket connection: the {@link io.channels4j.Send} its application gets, the handshake, and
 * the wiring of its parts. The handshake waits for the application: {@code websocket.accept}
 * upgrades (with its subprotocol and headers), {@code websocket.close} answers 403, and the Denial
 * Response extension ({@code websocket.http.response.*}) answers with the application's own status.
 *
 * <p>The parts: {@link ConnectionState} (the state machine and how the connection ended), {@link
 * OutboundQueue} (bounded, coalesced writes, the slow-client policy), {@link Heartbeat} (ping and idle
 * timeouts), {@link MessageReader} (bounded reads, control frames) and {@link CloseCodes} (the rules for
 * codes). Inbound events go through the {@link Inbox} to the application.
 */
final class WebSocketBridge extends Bridge implements OutboundQueue.Owner, Heartbeat.Owner, MessageReader.Owner {

  private static final Set<WebSocketChannel> NO_PEERS = ConcurrentHashMap.newKeySet();
  private static final HttpString SEC_WEBSOCKET_VERSION = new HttpString("Sec-WebSocket-Version");

  private final List<String> offered;
  private AsyncWebSocketHttpServerExchange facade; // dropped with the exchange once open
  private final ConnectionState state = new ConnectionState();
  private final OutboundQueue queue;
  private final Heartbeat heartbeat;
  private volatile WebSocketChannel channel;
  private volatile boolean readsPaused;
  private boolean pausedOnce;
  private XnioExecutor.Key handshakeTimer;
  private Handshake upgrading; // from the 101 until the channel is made (I/O thread)

  // denial response (guarded by state)
  private int denialStatus;
  private List<Header> denialHeaders;
  private ByteArrayOutputStream denialBody;

  WebSocketBridge(ChannelsHandler handler, HttpServerExchange exchange) {
    super(handler, exchange, new Inbox(handler.settings.maxInboundMessages, handler.settings.maxInboundBytes));
    this.offered = Scopes.subprotocols(exchange);
    this.facade = new AsyncWebSocketHttpServerExchange(exchange, NO_PEERS);
    this.queue = new OutboundQueue(settings, this);
    this.heartbeat = new Heartbeat(settings, this, queue);
  }

  @Override
  void start() {
    try {
      begin();
    } catch (RuntimeException e) {
      // a request we cannot make a scope of, or a failure before the application runs: never keep its slot
      LOG.warn("WebSocket handshake for {} failed before the application started: {}", where(), e.toString());
      if (!exchange.isResponseStarted()) {
        RequestChecks.reject(exchange, 400, "Bad WebSocket handshake");
      }
      releaseNow();
    }
  }

  private void begin() {
    scope = Scopes.websocket(settings, exchange, offered);
    String version = exchange.getRequestHeaders().getFirst(SEC_WEBSOCKET_VERSION);
    if (version != null && !version.trim().equals("13")) {
      exchange.getResponseHeaders().put(SEC_WEBSOCKET_VERSION, "13");
      RequestChecks.reject(exchange, 426, "Unsupported WebSocket version (13 is supported)");
      releaseNow();
      return;
    }
    // methods are case-sensitive (RFC 9110), HttpString compares without case; Undertow cannot upgrade a "get"
    if (!"GET".equals(exchange.getRequestMethod().toString()) || !handshake(null).matches(facade)) {
      RequestChecks.reject(exchange, 400, "Unsupported WebSocket handshake (RFC 6455 version 13 is required)");
      releaseNow();
      return;
    }
    exchange.getConnection().addCloseListener(c -> endedBeforeOpen());
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
      handshakeTimer = ioThread.executeAfter(
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
    return switch (message.type()) {
      case "websocket.send" -> sendFrame(message);
      case "websocket.accept" -> accept(message);
      case "websocket.close" -> close(message);
      case "websocket.http.response.start" -> denialStart(message);
      case "websocket.http.response.body" -> denialBody(message);
      default -> failed(new IllegalArgumentException("WebSocket application sent event type '" + message.type()
          + "'; expected websocket.accept, websocket.send, websocket.close or websocket.http.response.*"));
    };
  }

  private CompletionStage<Void> sendFrame(Message message) {
    String text = message.getString("text");
    byte[] bytes = message.has("bytes") ? message.getBytes("bytes") : null;
    if ((text == null) == (bytes == null)) {
      return failed(new IllegalArgumentException(
          "websocket.send needs exactly one of 'text' and 'bytes', got " + message.asMap().keySet()));
    }
    Phase s = state.phase();
    if (s == Phase.HANDSHAKE) {
      return failed(new IllegalStateException("websocket.send before websocket.accept on " + path()));
    }
    if (s == Phase.UPGRADING || s == Phase.OPEN) {
      queue.enqueue(text != null ? Frame.text(text) : Frame.binary(bytes));
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
    if (!state.move(Phase.HANDSHAKE, Phase.UPGRADING)) {
      if (state.phase() == Phase.CLOSED) {
        return Application.done(); // timed out or the client left: the disconnect is on its way
      }
      return failed(new IllegalStateException("websocket.accept sent twice on " + path()));
    }
    ioThread.execute(() -> upgrade(sub, headers));
    return Application.done();
  }

  private CompletionStage<Void> close(Message message) {
    int code = message.getInt("code", CloseCodes.NORMAL);
    String reason = message.getString("reason");
    Phase before = state.end();
    if (before == Phase.HANDSHAKE) {
      ioThread.execute(() -> refuse(403, "Access denied", List.of(), code));
    } else if (before == Phase.UPGRADING || before == Phase.OPEN) {
      queue.enqueue(Frame.close(code, reason == null ? "" : reason));
    }
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
    synchronized (state) {
      if (state.phase() != Phase.HANDSHAKE || denialBody != null) {
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
    synchronized (state) {
      if (state.phase() != Phase.HANDSHAKE || denialBody == null) {
        return failed(new IllegalStateException(
            "websocket.http.response.body must follow websocket.http.response.start, before accept, on " + path()));
      }
      if (chunk != null) {
        denialBody.writeBytes(chunk);
      }
      if (more) {
        return Application.done();
      }
      state.move(Phase.HANDSHAKE, Phase.CLOSED);
    }
    String body = denialBody.toString(StandardCharsets.ISO_8859_1);
    ioThread.execute(() -> refuse(denialStatus, body, denialHeaders, CloseCodes.NORMAL));
    return Application.done();
  }

  // ---------------------------------------------------------------- handshake outcomes (I/O thread)

  private void upgrade(String subprotocol, List<Header> headers) {
    cancel(handshakeTimer);
    Phase s = state.phase();
    if (s != Phase.UPGRADING && s != Phase.CLOSING) {
      return;
    }
    for (Header h : headers) {
      exchange.getResponseHeaders().add(new HttpString(h.name()), h.value());
    }
    Handshake handshake = handshake(subprotocol);
    upgrading = handshake;
    // Undertow keeps this listener as long as the socket: it must not hold the handshake or the exchange
    exchange.upgradeChannel((connection, ex) -> opened(connection));
    handshake.handshake(facade);
  }

  private void opened(StreamConnection connection) {
    WebSocketChannel ch = upgrading.createChannel(facade, connection, facade.getBufferPool());
    upgrading = null;
    ch.setRequireExplicitFlush(true);
    ch.getReceiveSetter().set(new MessageReader(settings.maxMessageSize, this));
    // after the current I/O task: a read failure that made Undertow close the socket is reported to
    // us after the close, and its code must reach the disconnect
    ch.addCloseTask(c -> {
      try {
        c.getIoThread().execute(this::closed);
      } catch (RejectedExecutionException e) {
        closed(); // the server is stopping and its I/O thread takes no more tasks: the disconnect still goes out
      }
    });
    channel = ch;
    exchange = null; // the request, its header maps and the HTTP connection are no longer needed
    facade = null;
    inbox.onRoom(() -> ch.getIoThread().execute(this::resumeReads));
    state.move(Phase.UPGRADING, Phase.OPEN);
    AccessLog.wsConnect(scope.client().orElse(null), path());
    heartbeat.start(ch);
    ch.resumeReceives();
    queue.attach(ch);
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
    inbox.terminate(CloseCodes.disconnect(disconnectCode, ""));
    transportDone();
  }

  private void handshakeTimedOut() {
    if (!state.move(Phase.HANDSHAKE, Phase.CLOSED)) {
      return;
    }
    LOG.warn("WebSocket handshake for {} timed out after {} ms: the application neither accepted nor closed it; "
        + "answering 403", where(), settings.handshakeTimeout.toMillis());
    refuse(403, "Access denied", List.of(), CloseCodes.ABNORMAL);
  }

  /**
   * The HTTP connection closed before the WebSocket opened (the client left during the handshake,
   * or the upgrade failed): tell the application. Once open, the WebSocket's close task does this.
   */
  private void endedBeforeOpen() {
    if (channel != null || state.closed() == Phase.CLOSED) {
      return;
    }
    cancel(handshakeTimer);
    inbox.terminate(CloseCodes.disconnect(CloseCodes.ABNORMAL, ""));
    transportDone();
  }

  /** The socket is closed (close task). I/O thread. */
  private void closed() {
    state.closed();
    heartbeat.stop();
    queue.clear();
    int code = state.disconnectCode();
    AccessLog.wsDisconnect(scope.client().orElse(null), path(), code, startNanos);
    inbox.terminate(CloseCodes.disconnect(code, state.disconnectReason()));
    transportDone();
  }

  // ---------------------------------------------------------------- what the parts report

  @Override
  public void overflowed(long bytes, int frames) {
    settings.observer.outboundOverflow(scope);
    LOG.warn("WebSocket {} client {} is too slow: {} bytes in {} frames queued (maxOutboundBytes {}, "
            + "maxOutboundFrames {}); closing it with 1008", where(), scope.client().orElse(null), bytes, frames,
        settings.maxOutboundBytes, settings.maxOutboundFrames);
    state.closing(); // a client that stopped reading never answers: its disconnect says 1006
    runOnIo(() -> queue.closeNow(CloseCodes.POLICY_VIOLATION, "outbound buffer full", false));
  }

  @Override
  public void dropped(long total) {
    LOG.warn("WebSocket {} client {} is too slow: dropped {} oldest frame(s) so far (maxOutboundBytes {}, "
        + "maxOutboundFrames {})", where(), scope.client().orElse(null), total, settings.maxOutboundBytes,
        settings.maxOutboundFrames);
  }

  @Override
  public void sent() {
    heartbeat.sent();
  }

  @Override
  public boolean readsPaused() {
    return readsPaused;
  }

  /** The application took enough from the inbox: read again. I/O thread. */
  private void resumeReads() {
    WebSocketChannel ch = channel;
    readsPaused = false;
    if (ch != null && ch.isOpen()) {
      ch.resumeReceives();
    }
  }

  @Override
  public void pingTimedOut() {
    LOG.info("WebSocket {} client {} did not answer a ping within {} ms; dropping it", where(),
        scope.client().orElse(null), settings.pingTimeout.toMillis());
    IoUtils.safeClose(channel);
  }

  @Override
  public void idle() {
    LOG.info("WebSocket {} idle for {} ms; closing it with 1001", where(), settings.idleTimeout.toMillis());
    state.failedWith(CloseCodes.GOING_AWAY);
    queue.closeNow(CloseCodes.GOING_AWAY, "idle timeout", false);
  }

  @Override
  public void lifetimeOver() {
    LOG.info("WebSocket {} open for {} ms (websocketTimeout); closing it with 1000", where(),
        settings.websocketTimeout.toMillis());
    state.failedWith(CloseCodes.NORMAL);
    queue.closeNow(CloseCodes.NORMAL, "websocket timeout", false);
  }

  @Override
  public void message(Message message, long size) {
    if (inbox.offer(message)) {
      readsPaused = true;
      channel.suspendReceives();
      settings.observer.inboxPaused(scope);
      if (!pausedOnce) {
        pausedOnce = true;
        LOG.info("WebSocket {} client {} sends faster than its application reads: reads paused at {} messages or "
            + "{} bytes waiting (maxInboundMessages, maxInboundBytes)", where(), scope.client().orElse(null),
            settings.maxInboundMessages, settings.maxInboundBytes);
      }
    }
  }

  @Override
  public void alive() {
    heartbeat.received();
  }

  @Override
  public void pong(ByteBuffer payload) {
    queue.control(true, payload);
  }

  @Override
  public void peerClosed(int code, String reason) {
    state.peerClosed(code, reason);
    queue.answerClose(code, reason);
  }

  @Override
  public void violation(int code, String what) {
    LOG.info("WebSocket {} client {} sent {}; closing it with {}", where(), scope.client().orElse(null),
        LogText.escape(what), code);
    state.failedWith(code);
    queue.closeNow(code, code == CloseCodes.TOO_BIG ? "message too big" : "", true);
  }

  @Override
  public void lost(String why) {
    LOG.debug("WebSocket {} lost: {}", where(), why);
    IoUtils.safeClose(channel);
  }

  // ---------------------------------------------------------------- lifecycle

  @Override
  void appFinished(Throwable error) {
    if (error != null) {
      LOG.error("Application failed on WebSocket {}", where(), error);
    }
    switch (state.end()) {
      case HANDSHAKE -> {
        if (error == null) {
          LOG.error("Application returned without accepting or closing WebSocket {}; answering 500", where());
        }
        ioThread.execute(() -> refuse(500, "Internal Server Error", List.of(), CloseCodes.ABNORMAL));
      }
      case UPGRADING, OPEN -> queue.enqueue(error != null
          ? Frame.close(CloseCodes.INTERNAL_ERROR, "internal error") : Frame.close(CloseCodes.NORMAL, ""));
      default -> { }
    }
  }

  @Override
  void goingAway() {
    switch (state.end()) {
      case HANDSHAKE -> ioThread.execute(
          () -> refuse(503, "Server is shutting down", List.of(), CloseCodes.GOING_AWAY));
      case UPGRADING, OPEN -> {
        // the disconnect says why: 1001 from the server, whatever code the client's reply carries
        state.failedWith(CloseCodes.GOING_AWAY);
        runOnIo(() -> queue.closeNow(CloseCodes.GOING_AWAY, "server shutting down", false));
      }
      default -> { }
    }
  }

  /** The path, escaped for a log line. */
  private String where() {
    return LogText.escape(path());
  }

  private void runOnIo(Runnable task) {
    WebSocketChannel ch = channel;
    (ch != null ? ch.getIoThread() : ioThread).execute(task);
  }

  private void cancel(XnioExecutor.Key key) {
    if (key != null) {
      key.remove();
    }
    handshakeTimer = null; // a cancelled key still holds its task
  }
}
