package io.channels4j.undertow;

import io.channels4j.Application;
import io.channels4j.ServerObserver;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Undertow server serving one {@link Application}: the Java counterpart of running Daphne (or run {@link Main}).
 * Loading this class sets {@code org.jboss.logging.provider=slf4j} when that system property is unset, so
 * Undertow's and XNIO's own log lines reach the application's SLF4J provider with everything else.
 *
 * <pre>{@code
 * try (ChannelsServer server = ChannelsServer.builder(application).port(8000).build().start()) {
 *   System.out.println("listening on " + server.port());
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #stop()} is graceful: it answers new requests with 503, closes WebSockets with 1001, gives
 * applications up to {@link Builder#shutdownTimeout} to handle their disconnect, then stops Undertow.
 */
public final class ChannelsServer implements AutoCloseable {

  static {
    JBossLogging.useSlf4jUnlessChosen();
  }

  private static final Logger LOG = LoggerFactory.getLogger(ChannelsServer.class);

  private final Builder config;
  private final ChannelsHandler handler;
  private UndertowListener undertow;
  /** The gate in front of Undertow once started (tests read its per-address counts). */
  volatile ConnectionGate gate;
  private int port = -1;

  private ChannelsServer(Builder config) {
    this.config = config;
    this.handler = config.handler.build();
  }

  /**
   * Starts a builder for a server serving {@code application}.
   *
   * @param application the application
   * @return a new builder
   */
  public static Builder builder(Application application) {
    return new Builder(application);
  }

  /**
   * Binds and starts the server.
   *
   * @return this server
   * @throws IllegalStateException if it was already started, or cannot listen (the message names the address)
   */
  public synchronized ChannelsServer start() {
    if (undertow != null) {
      throw new IllegalStateException("server already started on port " + port);
    }
    UndertowListener u = UndertowListener.start(new UndertowListener.Config(config.host, config.port,
        config.ioThreads, config.sendBufferSize, config.sslContext, UndertowListener.serverOptions(config.maxHeaderSize)),
        handler, open -> gate = new ConnectionGate(open, handler,
            new ConnectionGate.Limits(config.headerTimeout, config.maxHeaderSize, config.maxConnectionsPerAddress)));
    undertow = u;
    port = u.port();
    LOG.info("Channels4J listening on {}://{}:{}", config.sslContext != null ? "https" : "http", config.host, port);
    return this;
  }

  /**
   * {@return the bound port (the real one when built with port 0)}
   *
   * @throws IllegalStateException if the server is not started
   */
  public synchronized int port() {
    if (undertow == null) {
      throw new IllegalStateException("server not started");
    }
    return port;
  }

  /** {@return the handler this server runs, e.g. for {@link ChannelsHandler#activeConnections()}} */
  public ChannelsHandler handler() {
    return handler;
  }

  /**
   * Stops gracefully: answers new requests with 503, closes WebSockets with 1001, waits up to the shutdown timeout for
   * applications to finish, then stops Undertow. Does nothing if not started.
   */
  public void stop() {
    UndertowListener u;
    synchronized (this) {
      u = undertow;
      undertow = null;
    }
    if (u == null) {
      return;
    }
    // Not ListenerInfo.suspend(), which drops open connections: the handler answers 503 meanwhile.
    handler.shutdown(config.shutdownTimeout).join();
    u.stop();
    LOG.info("Channels4J on port {} stopped", port);
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Options of a {@link ChannelsServer}: where to listen, and every {@link ChannelsHandler.Builder}
   * option. Setters validate at once and throw {@link IllegalArgumentException} naming the value.
   */
  public static final class Builder {
    private final ChannelsHandler.Builder handler;
    private String host = "127.0.0.1";
    private int port = 8000;
    private int ioThreads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private SSLContext sslContext;
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private int sendBufferSize;
    private Duration headerTimeout = Duration.ofSeconds(10);
    private int maxHeaderSize = 16 * 1024;
    private int maxConnectionsPerAddress = 256;

    private Builder(Application application) {
      this.handler = ChannelsHandler.builder(application);
    }

    /**
     * The address to bind. Default {@code 127.0.0.1}; use {@code 0.0.0.0} for all interfaces.
     *
     * @param host the address to bind
     * @return this builder
     */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /**
     * The port to bind; 0 picks a free one (see {@link ChannelsServer#port()}). Default 8000.
     *
     * @param port the port to bind
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Number of Undertow I/O threads. Default: min(2, cores).
     *
     * @param n the count
     * @return this builder
     */
    public Builder ioThreads(int n) {
      this.ioThreads = (int) Require.positive("ioThreads", n);
      return this;
    }

    /**
     * Serves HTTPS and WSS with this context.
     *
     * @param context the TLS context
     * @return this builder
     */
    public Builder tls(SSLContext context) {
      this.sslContext = Objects.requireNonNull(context, "context");
      return this;
    }

    /**
     * Serves HTTPS and WSS with the key in {@code keyStore} (e.g. a PKCS12 file loaded by the caller).
     *
     * @param keyStore the key store
     * @param keyPassword the key password
     * @return this builder
     * @throws IllegalArgumentException if the key store cannot be used
     */
    public Builder tls(KeyStore keyStore, char[] keyPassword) {
      this.sslContext = UndertowListener.sslContext(Objects.requireNonNull(keyStore, "keyStore"), keyPassword);
      return this;
    }

    /**
     * The TCP send buffer (SO_SNDBUF) of each connection. By default the OS sizes it (Linux: up to 4 MiB), where a
     * stalled client's backlog sits unseen; a fixed size bounds that kernel memory and lets the outbound limit act sooner.
     *
     * @param bytes the TCP send buffer of each connection
     * @return this builder
     */
    public Builder sendBufferSize(int bytes) {
      this.sendBufferSize = (int) Require.positive("sendBufferSize", bytes);
      return this;
    }

    /**
     * How long a client may take to send a request head (request line and headers), from the accept for the first
     * request, from its first byte for later ones; slower clients are answered 408 and closed. Default 10 s.
     *
     * @param timeout how long a client may take to send a request head
     * @return this builder
     */
    public Builder headerTimeout(Duration timeout) {
      this.headerTimeout = Require.positive("headerTimeout", timeout);
      return this;
    }

    /**
     * Most bytes of one request head (request line and headers); a longer one is answered 431 and closed. Default 16 KiB.
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public Builder maxHeaderSize(int bytes) {
      if (bytes < 256) {
        throw new IllegalArgumentException("maxHeaderSize must be at least 256 bytes, got " + bytes);
      }
      this.maxHeaderSize = bytes;
      return this;
    }

    /**
     * Most open connections (keep-alive and WebSocket included) from one client address; beyond it a new one is
     * answered 429 and closed. {@linkplain #trustedProxies Trusted proxies} are exempt. Default 256.
     *
     * @param max the maximum
     * @return this builder
     */
    public Builder maxConnectionsPerAddress(int max) {
      this.maxConnectionsPerAddress = (int) Require.positive("maxConnectionsPerAddress", max);
      return this;
    }

    /**
     * How long {@link ChannelsServer#stop()} waits for applications to finish. Default 10 s.
     *
     * @param timeout how long {@link ChannelsServer#stop()} waits for applications to finish
     * @return this builder
     */
    public Builder shutdownTimeout(Duration timeout) {
      this.shutdownTimeout = Require.notNegative("shutdownTimeout", timeout);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#executor}.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      handler.executor(executor);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#rootPath}.
     *
     * @param rootPath the path prefix
     * @return this builder
     */
    public Builder rootPath(String rootPath) {
      handler.rootPath(rootPath);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#maxMessageSize}.
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public Builder maxMessageSize(long bytes) {
      handler.maxMessageSize(bytes);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#maxBodySize}.
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public Builder maxBodySize(long bytes) {
      handler.maxBodySize(bytes);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#bodyTimeout}.
     *
     * @param timeout how long to wait
     * @return this builder
     */
    public Builder bodyTimeout(Duration timeout) {
      handler.bodyTimeout(timeout);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#allowedHosts}.
     *
     * @param patterns the host patterns
     * @return this builder
     */
    public Builder allowedHosts(String... patterns) {
      handler.allowedHosts(patterns);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#handshakeTimeout}.
     *
     * @param timeout how long to wait
     * @return this builder
     */
    public Builder handshakeTimeout(Duration timeout) {
      handler.handshakeTimeout(timeout);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#pingInterval}.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder pingInterval(Duration interval) {
      handler.pingInterval(interval);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#pingTimeout}.
     *
     * @param timeout how long to wait
     * @return this builder
     */
    public Builder pingTimeout(Duration timeout) {
      handler.pingTimeout(timeout);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#idleTimeout}.
     *
     * @param timeout how long to wait
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      handler.idleTimeout(timeout);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#closeTimeout}.
     *
     * @param timeout how long to wait
     * @return this builder
     */
    public Builder closeTimeout(Duration timeout) {
      handler.closeTimeout(timeout);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#maxConnections}.
     *
     * @param max the maximum
     * @return this builder
     */
    public Builder maxConnections(int max) {
      handler.maxConnections(max);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#maxOutboundBytes}.
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public Builder maxOutboundBytes(long bytes) {
      handler.maxOutboundBytes(bytes);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#maxInboundMessages}.
     *
     * @param messages the bound, at least 1
     * @return this builder
     */
    public Builder maxInboundMessages(int messages) {
      handler.maxInboundMessages(messages);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#maxInboundBytes}.
     *
     * @param bytes the bound, at least 1
     * @return this builder
     */
    public Builder maxInboundBytes(long bytes) {
      handler.maxInboundBytes(bytes);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#maxOutboundFrames}.
     *
     * @param frames the frames
     * @return this builder
     */
    public Builder maxOutboundFrames(int frames) {
      handler.maxOutboundFrames(frames);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#overflowPolicy}.
     *
     * @param policy the policy
     * @return this builder
     */
    public Builder overflowPolicy(ChannelsHandler.OverflowPolicy policy) {
      handler.overflowPolicy(policy);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#trustedProxies}.
     *
     * @param addresses the addresses
     * @return this builder
     */
    public Builder trustedProxies(String... addresses) {
      handler.trustedProxies(addresses);
      return this;
    }

    /**
     * Sets any {@link ChannelsHandler.Builder} option, those without a shortcut here included, e.g. {@code
     * handlerOptions(h -> h.websocketTimeout(Duration.ofDays(1)))}.
     *
     * @param options sets options on the handler's builder
     * @return this builder
     */
    public Builder handlerOptions(Consumer<ChannelsHandler.Builder> options) {
      options.accept(handler);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#perMessageDeflate}.
     *
     * @param enabled whether it is on
     * @return this builder
     */
    public Builder perMessageDeflate(boolean enabled) {
      handler.perMessageDeflate(enabled);
      return this;
    }

    /**
     * See {@link ChannelsHandler.Builder#observer}.
     *
     * @param observer the observer
     * @return this builder
     */
    public Builder observer(ServerObserver observer) {
      handler.observer(observer);
      return this;
    }

    /** {@return the server, not yet started} */
    public ChannelsServer build() {
      return new ChannelsServer(this);
    }
  }
}
