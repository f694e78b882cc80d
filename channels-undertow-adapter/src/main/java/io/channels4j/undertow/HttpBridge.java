package io.channels4j.undertow;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.internal.LogText;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.ServerConnection;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.IoUtils;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * One HTTP request: the body is read without blocking on the I/O thread and queued as {@code
 * http.request} chunks; response events are queued and written (and flushed, so streaming works) by one
 * pump task per I/O round on the I/O thread.
 */
final class HttpBridge extends Bridge {

  private static final AttachmentKey<HttpBridge> CURRENT = AttachmentKey.create(HttpBridge.class);
  private static final Message DISCONNECT = Message.of("http.disconnect");

  private final AtomicBoolean scheduled = new AtomicBoolean();
  // guarded by this
  private boolean started;
  private boolean lastQueued;
  private int status;
  private List<Header> headers = List.of();
  private final ArrayDeque<ByteBuffer> outbound = new ArrayDeque<>();
  private long queuedBytes;
  private CompletableFuture<Void> drained;
  // I/O thread only
  private StreamSinkChannel channel;
  private boolean shutdown;
  private volatile boolean finished;
  private long bytesSent;
  private long bodyBytes;
  private byte[] pendingChunk;
  private ClientGoneWatch watch;
  private StreamSourceChannel body;
  private XnioExecutor.Key bodyTimer;

  HttpBridge(ChannelsHandler handler, HttpServerExchange exchange) {
    super(handler, exchange);
  }

  @Override
  void start() {
    scope = Scopes.http(settings, exchange);
    long length = exchange.getRequestContentLength();
    if (length > settings.maxBodySize && length - settings.maxBodySize <= DRAIN_LIMIT) {
      overLimit = true; // see DRAIN_LIMIT
    } else if (length > settings.maxBodySize) {
      LOG.info("Refused {} from {}: body of {} bytes exceeds maxBodySize {}", request(), exchange.getSourceAddress(),
          length, settings.maxBodySize);
      exchange.setPersistent(false); // the body is not read
      RequestChecks.reject(exchange, 413, "Request body too large");
      releaseNow();
      return;
    }
    exchange.setMaxEntitySize(settings.maxBodyRead);
    if (exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)) {
      StrictChunkedConduit.install(exchange); // ChannelsHandler let only "chunked" through
    }
    ServerConnection connection = exchange.getConnection();
    if (connection.putAttachment(CURRENT, this) == null) {
      connection.addCloseListener(c -> {
        HttpBridge current = c.getAttachment(CURRENT);
        if (current != null) {
          current.clientGone();
        }
      });
    }
    exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
      runApplication();
      boolean complete = exchange.isRequestComplete();
      body = exchange.getRequestChannel();
      if (body == null) {
        inbox.offer(Message.of("http.request", "body", new byte[0], "more_body", false));
      } else {
        if (!complete) {
          bodyTimer = exchange.getIoThread().executeAfter(this::bodyTimedOut, settings.bodyTimeout.toMillis(),
              TimeUnit.MILLISECONDS);
        }
        readBody(body);
      }
    });
  }

  /**
   * A body over {@code maxBodySize} by up to this much is read and dropped before the 413 (a declared
   * length to its end, a chunked body as far as it has come): a client still sending when the socket
   * closes gets a reset and may never read the 413. Beyond it the 413 goes at once.
   */
  static final long DRAIN_LIMIT = 64 * 1024;
  private boolean overLimit; // the rest of the body is dropped, then 413; I/O thread

  /**
   * Reads the request body without blocking (I/O thread), one chunk behind so that the last chunk
   * carries {@code more_body: false}. Undertow's Receiver is not used: it ends the exchange after each
   * callback unless dispatched, which races with a response written from another thread.
   */
  private void readBody(StreamSourceChannel body) {
    ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
    try {
      while (true) {
        buf.clear();
        int n = body.read(buf);
        // over the limit: the end of the body, or a chunked one that has no more for now, brings the 413
        if (overLimit && (n < 0 || n == 0 && exchange.getRequestContentLength() < 0)) {
          stopReading(body);
          bodyFailed(new RequestTooBigException());
          return;
        }
        if (n == 0) {
          body.getReadSetter().set(this::readBody);
          body.resumeReads();
          return;
        }
        if (n < 0) {
          stopReading(body);
          byte[] last = pendingChunk == null ? new byte[0] : pendingChunk;
          pendingChunk = null;
          inbox.offer(Message.of("http.request", "body", last, "more_body", false));
          watchForClientGone();
          return;
        }
        bodyBytes += n;
        if (overLimit || bodyBytes > settings.maxBodySize) {
          overLimit = true;
          pendingChunk = null;
          if (bodyBytes > settings.maxBodyRead) {
            stopReading(body);
            bodyFailed(new RequestTooBigException());
            return;
          }
          continue; // dropped: read to its end, so the client is listening when the 413 comes
        }
        if (pendingChunk != null) {
          inbox.offer(Message.of("http.request", "body", pendingChunk, "more_body", true));
        }
        buf.flip();
        pendingChunk = new byte[buf.remaining()];
        buf.get(pendingChunk);
      }
    } catch (IOException e) {
      stopReading(body);
      bodyFailed(e);
    }
  }

  /** The body is read to its end, refused or abandoned: no more reads, no timeout. I/O thread. */
  private void stopReading(StreamSourceChannel body) {
    body.getReadSetter().set(null);
    body.suspendReads();
    this.body = null;
    if (bodyTimer != null) {
      bodyTimer.remove();
      bodyTimer = null;
    }
  }

  /** The client did not send its whole body within the body timeout: 408, connection closed. I/O thread. */
  private void bodyTimedOut() {
    bodyTimer = null;
    StreamSourceChannel b = body;
    if (b == null || finished) {
      return;
    }
    stopReading(b);
    LOG.info("Refused {} from {}: body incomplete after {} ms ({} bytes read; bodyTimeout)",
        request(), exchange.getSourceAddress(),
        settings.bodyTimeout.toMillis(), bodyBytes);
    exchange.setPersistent(false);
    respondDirect(408, "Request Timeout");
  }

  /** Watches for the client leaving while the application works on its response (HTTP/1.x only). */
  private void watchForClientGone() {
    if (!finished && exchange.getConnection() instanceof HttpServerConnection c) {
      watch = ClientGoneWatch.start(c, this::clientGone);
    }
  }

  private void stopWatching() {
    if (watch != null) {
      watch.stop();
      watch = null;
    }
  }

  @Override
  public CompletionStage<Void> send(Message message) {
    String type = message.type();
    if (type.equals("http.response.start")) {
      int code;
      List<Header> hs;
      try {
        code = message.getInt("status", -1);
        hs = Header.fromMessageValue(message.get("headers"));
      } catch (RuntimeException e) {
        return failed(new IllegalArgumentException("bad http.response.start for " + target() + ": " + e.getMessage(), e));
      }
      if (code < 100 || code > 999) {
        return failed(new IllegalArgumentException("HTTP status must be 100-999, got " + code));
      }
      synchronized (this) {
        if (started) {
          return failed(new IllegalStateException("http.response.start was already sent for " + target()));
        }
        started = true;
        status = code;
        headers = hs;
      }
      return Application.done();
    }
    if (type.equals("http.response.body")) {
      ByteBuffer body = message.getByteBuffer("body");
      boolean more = message.getBoolean("more_body", false);
      CompletionStage<Void> result = Application.done();
      synchronized (this) {
        if (!started) {
          return failed(new IllegalStateException("http.response.body before http.response.start for " + target()));
        }
        if (lastQueued) {
          return failed(new IllegalStateException("http.response.body after the last body (more_body false) for " + target()));
        }
        lastQueued = !more;
        if (finished) {
          return result; // the client went away: nothing to write
        }
        if (body != null && body.hasRemaining()) {
          outbound.add(body);
          queuedBytes += body.remaining();
          if (queuedBytes > settings.maxOutboundBytes) {
            if (drained == null) {
              drained = new CompletableFuture<>();
            }
            result = drained;
          }
        }
      }
      schedule();
      return result;
    }
    return failed(new IllegalArgumentException(
        "HTTP application sent event type '" + type + "'; expected http.response.start or http.response.body"));
  }

  private void schedule() {
    if (scheduled.compareAndSet(false, true)) {
      exchange.getIoThread().execute(this::pump);
    }
  }

  /** Writes what is queued; runs on the I/O thread only. */
  private void pump() {
    scheduled.set(false);
    if (finished) {
      return;
    }
    try {
      if (channel == null && !commit()) {
        return;
      }
      while (true) {
        ByteBuffer b;
        synchronized (this) {
          b = outbound.peek();
        }
        if (b == null) {
          break;
        }
        int before = b.remaining();
        channel.write(b);
        bytesSent += before - b.remaining();
        if (b.hasRemaining()) {
          awaitWritable();
          return;
        }
        CompletableFuture<Void> wake = null;
        synchronized (this) {
          outbound.poll();
          queuedBytes -= before;
          if (drained != null && queuedBytes <= settings.maxOutboundBytes) {
            wake = drained;
            drained = null;
          }
        }
        if (wake != null) {
          wake.complete(null);
        }
      }
      boolean last;
      synchronized (this) {
        last = lastQueued && outbound.isEmpty();
      }
      if (last && !shutdown) {
        shutdown = true;
        channel.shutdownWrites();
      }
      if (!channel.flush()) {
        awaitWritable();
        return;
      }
      if (last) {
        complete();
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("Writing the response to {} failed: {}", request(), e.toString());
      abort();
    }
  }

  /** Applies status and headers and opens the response channel; false if there is no body yet. */
  private boolean commit() {
    int code;
    List<Header> hs;
    boolean single;
    long size;
    synchronized (this) {
      if (!started || (outbound.isEmpty() && !lastQueued)) {
        return false;
      }
      code = status;
      hs = headers;
      single = lastQueued && outbound.size() <= 1;
      size = queuedBytes;
    }
    exchange.setStatusCode(code);
    boolean framed = false;
    for (Header h : hs) {
      exchange.getResponseHeaders().add(new HttpString(h.name()), h.value());
      framed |= h.name().equals("content-length") || h.name().equals("transfer-encoding");
    }
    if (single && !framed) {
      exchange.setResponseContentLength(size);
    }
    channel = exchange.getResponseChannel();
    return true;
  }

  private void awaitWritable() {
    channel.getWriteSetter().set(c -> {
      c.suspendWrites();
      pump();
    });
    channel.resumeWrites();
  }

  private void complete() {
    stopWatching();
    finished = true;
    exchange.getConnection().removeAttachment(CURRENT);
    exchange.endExchange();
    AccessLog.http(exchange, exchange.getStatusCode(), bytesSent, startNanos);
    inbox.terminate(DISCONNECT);
    transportDone();
  }

  /** Ends the exchange abruptly (the client went away, or the response cannot be completed). */
  private void abort() {
    if (finished) {
      return;
    }
    finished = true;
    stopWatching();
    exchange.getConnection().removeAttachment(CURRENT);
    IoUtils.safeClose(exchange.getConnection());
    AccessLog.http(exchange, exchange.getStatusCode(), bytesSent, startNanos);
    wakeSenders();
    inbox.terminate(DISCONNECT);
    transportDone();
  }

  private void wakeSenders() {
    CompletableFuture<Void> wake;
    synchronized (this) {
      outbound.clear();
      wake = drained;
      drained = null;
    }
    if (wake != null) {
      wake.complete(null);
    }
  }

  private void clientGone() {
    if (!finished) {
      LOG.debug("Client went away during {}", request());
      abort();
    }
  }

  /** Answers with a plain status when the application never started a response. I/O thread. */
  private void respondDirect(int code, String text) {
    if (finished) {
      return;
    }
    if (channel != null) {
      abort();
      return;
    }
    stopWatching();
    finished = true;
    exchange.getConnection().removeAttachment(CURRENT);
    exchange.setStatusCode(code);
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.setResponseContentLength(bytes.length);
    exchange.getResponseSender().send(ByteBuffer.wrap(bytes));
    AccessLog.http(exchange, code, bytes.length, startNanos);
    wakeSenders();
    inbox.terminate(DISCONNECT);
    transportDone();
  }

  private void bodyFailed(IOException error) {
    if (error instanceof RequestTooBigException) {
      LOG.info("Refused {} from {}: body exceeds maxBodySize {}", request(), exchange.getSourceAddress(), settings.maxBodySize);
      exchange.setPersistent(false);
      onIoThread(() -> respondDirect(413, "Request body too large"));
    } else if (error instanceof StrictChunkedConduit.Malformed) {
      LOG.info("Refused {} from {}: malformed chunked body: {}", request(), exchange.getSourceAddress(), error.getMessage());
      exchange.setPersistent(false);
      onIoThread(() -> respondDirect(400, "Bad Request"));
    } else {
      LOG.debug("Reading the body of {} failed: {}", request(), error.toString());
      onIoThread(this::abort);
    }
  }

  /** Set when the server stops: the application was sent http.disconnect and may end its response unfinished. */
  private volatile boolean serverStopping;

  @Override
  void appFinished(Throwable error) {
    if (error != null) {
      LOG.error("Application failed on HTTP {}", request(), error);
    }
    boolean begun;
    synchronized (this) {
      if (lastQueued || finished) {
        return; // complete, or already answered (413) or abandoned by the client
      }
      begun = started;
    }
    if (!begun) {
      if (error == null) {
        LOG.error("Application returned without sending a response for HTTP {}; answering 500", request());
      }
      onIoThread(() -> respondDirect(500, "Internal Server Error"));
    } else {
      if (error == null && serverStopping) {
        // A stream (server-sent events, a long poll) that ends because the server told it to: expected.
        LOG.debug("Application ended its unfinished response for HTTP {} as the server stops", request());
      } else if (error == null) {
        LOG.error("Application returned before finishing its response for HTTP {}; closing the connection", request());
      }
      onIoThread(this::abort);
    }
  }

  @Override
  void goingAway() {
    serverStopping = true;
    inbox.terminate(DISCONNECT);
  }

  /** Method and target as the client sent them, escaped for logs. */
  private String request() {
    return LogText.escape(exchange.getRequestMethod() + " " + exchange.getRequestURI());
  }

  /** The request target as the client sent it (still percent-encoded), escaped for logs and messages. */
  private String target() {
    return LogText.escape(exchange.getRequestURI());
  }

  private void onIoThread(Runnable task) {
    exchange.getIoThread().execute(task);
  }
}
