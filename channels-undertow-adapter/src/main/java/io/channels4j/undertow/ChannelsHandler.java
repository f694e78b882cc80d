package io.channels4j.undertow;

import static io.channels4j.undertow.Require.notNegative;
import static io.channels4j.undertow.Require.positive;

import io.channels4j.Application;
import io.channels4j.ServerObserver;
import io.channels4j.internal.LogText;
import io.channels4j.internal.Threads;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Undertow {@link HttpHandler} that serves a Channels4J {@link Application}: HTTP requests become
 * {@code http} scopes and WebSocket handshakes become {@code websocket} scopes, exactly as Daphne does
 * for ASGI. Mount it yourself, e.g. under a path prefix:
 *
 * <pre>{@code
 * HttpHandler channels = ChannelsHandler.of(application);
 * Undertow.builder().addHttpListener(8000, "localhost")
 *     .setHandler(Handlers.path().addPrefixPath("/ws", channels)).build().start();
 * }</pre>
 *
 * <p>Or let {@link ChannelsServer} run Undertow for you. The handler never blocks an I/O thread: the
 * application is started on the configured {@linkplain Builder#executor executor}, events are sent
 * asynchronously, and each WebSocket has a bounded outbound buffer so a slow client cannot stall
 * others. See {@link Builder} for limits and their defaults.
 */
public final class ChannelsHandler implements HttpHandler {

  /** What to do when a WebSocket client reads slower than the application sends. */
  public enum OverflowPolicy {
    /** Close the connection with 1008 (policy violation) and log it. The default. */
    CLOSE,
    /** Drop the oldest frames not yet handed to the socket, keeping the connection. */
    DROP_OLDEST
  }

  private static final HttpString SEC_WEBSOCKET_KEY = new HttpString("Sec-WebSocket-Key");

  final Settings settings;
  private final AtomicInteger active = new AtomicInteger();
  private final Set<Bridge> live = ConcurrentHashMap.newKeySet();
  private volatile boolean shuttingDown;

  private ChannelsHandler(Settings settings) {
    this.settings = settings;
  }

  /**
   * A handler serving {@code application} with the default options.
   *
   * @param application the application
   * @return a handler serving {@code application} with the default options
   */
  public static ChannelsHandler of(Application application) {
    return builder(application).build();
  }

  /**
   * Starts a builder for a handler serving {@code application}.
   *
   * @param application the application
   * @return a new builder
   */
  public static Builder builder(Application application) {
    return new Builder(application);
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) {
    HeaderWatch.onRequest(exchange);
    if (shuttingDown) {
      RequestChecks.reject(exchange, 503, "Server is shutting down");
      return;
    }
    if (active.incrementAndGet() > settings.maxConnections) {
      active.decrementAndGet();
      Bridge.LOG.warn("Refused {} {}: {} connections is the limit (maxConnections)",
          LogText.escape(exchange.getRequestMethod().toString()), LogText.escape(exchange.getRequestURI()),
          settings.maxConnections);
      RequestChecks.reject(exchange, 503, "Too many connections");
      return;
    }
    boolean upgrade = exchange.getRequestHeaders().contains(SEC_WEBSOCKET_KEY)
        && "websocket".equalsIgnoreCase(exchange.getRequestHeaders().getFirst(Headers.UPGRADE));
    RequestChecks.Refusal refusal = RequestChecks.check(settings, exchange, upgrade);
    if (refusal != null) {
      Bridge.LOG.warn("Refused {} {} from {}: {}", LogText.escape(exchange.getRequestMethod().toString()),
          LogText.escape(exchange.getRequestURI()), exchange.getSourceAddress(), refusal.reason());
      exchange.setPersistent(false);
      RequestChecks.reject(exchange, refusal.status(), refusal.text());
      return;
    }
    Bridge bridge;
    try {
      bridge = upgrade ? new WebSocketBridge(this, exchange) : new HttpBridge(this, exchange);
    } catch (RuntimeException e) {
      active.decrementAndGet();
      throw e;
    }
    live.add(bridge);
    bridge.start();
  }

  /** Called by a bridge once, when its connection and its application are both done. */
  void released(Bridge bridge) {
    if (live.remove(bridge)) {
      active.decrementAndGet();
    }
  }

  /**
   * Takes a {@code maxConnections} slot for a connection still sending its request head (run by {@link
   * ChannelsServer}); false if none is free.
   */
  boolean acquireSlot() {
    if (active.incrementAndGet() > settings.maxConnections) {
      active.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a slot taken by {@link #acquireSlot()}. */
  void releaseSlot() {
    active.decrementAndGet();
  }

  /**
   * {@return the number of HTTP requests and WebSocket connections being served now, plus (under {@link
   * ChannelsServer}) connections still sending a request head}
   */
  public int activeConnections() {
    return active.get();
  }

  /**
   * Shuts down gracefully: new requests get 503, open WebSockets are closed with 1001 (going away),
   * and applications get their disconnect event; the returned future completes when every
   * application has finished, or after {@code timeout}, whichever is first.
   *
   * @param timeout how long to wait
   * @return the completable future
   */
  public CompletableFuture<Void> shutdown(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    shuttingDown = true;
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (Bridge b : live) {
      done.add(b.whenReleased());
      b.goingAway();
    }
    return CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0]))
        .completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS);
  }


  /**
   * Options of a {@link ChannelsHandler}. Every setter validates its argument at once and throws
   * {@link IllegalArgumentException} naming the rule and the value.
   */
  public static final class Builder {
    final Application application;
    Executor executor = Threads.blockingExecutor();
    String rootPath = "";
    long maxMessageSize = 1 << 20;
    long maxBodySize = 10L << 20;
    Duration bodyTimeout = Duration.ofSeconds(60);
    AllowedHosts allowedHosts;
    Duration handshakeTimeout = Duration.ofSeconds(10);
    Duration pingInterval = Duration.ofSeconds(20);
    Duration pingTimeout = Duration.ofSeconds(30);
    Duration idleTimeout = Duration.ZERO;
    Duration closeTimeout = Duration.ofSeconds(5);
    int maxConnections = 10_000;
    long maxOutboundBytes = 1 << 20;
    int maxOutboundFrames = 10_000;
    int maxInboundMessages = 64;
    long maxInboundBytes = 1 << 20;
    OverflowPolicy overflowPolicy = OverflowPolicy.CLOSE;
    TrustedProxies trustedProxies = TrustedProxies.NONE;
    Duration websocketTimeout = Duration.ZERO;
    Duration applicationCloseTimeout = Duration.ofSeconds(10);
    boolean perMessageDeflate;
    ServerObserver observer = ServerObserver.NONE; // metrics hook (channels-micrometer)

    Builder(Application application) {
      this.application = Objects.requireNonNull(application, "application");
    }

    /**
     * Where applications are started (their {@code handle} call), so that blocking set-up never runs
     * on an I/O thread. Default: virtual threads when the runtime has them, else a shared pool.
     *
     * @param executor where applications are started
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The scope's {@code root_path}: where the application is mounted. Default {@code ""}.
     *
     * @param rootPath the scope's {@code root_path}
     * @return this builder
     */
    public Builder rootPath(String rootPath) {
      Objects.requireNonNull(rootPath, "rootPath");
      if (!RootPaths.valid(rootPath)) {
        throw new IllegalArgumentException("rootPath must be empty or start with '/' and not end with '/', got '"
            + rootPath + "'");
      }
      this.rootPath = rootPath;
      return this;
    }

    /**
     * Largest incoming WebSocket message, in bytes; larger closes with 1009. Default 1 MiB.
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public Builder maxMessageSize(long bytes) {
      this.maxMessageSize = positive("maxMessageSize", bytes);
      return this;
    }

    /**
     * Largest HTTP request body, in bytes; larger is answered 413. Default 10 MiB.
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public Builder maxBodySize(long bytes) {
      this.maxBodySize = positive("maxBodySize", bytes);
      return this;
    }

    /**
     * How long a client may take to send a whole HTTP request body, from the end of its headers; a body
     * still incomplete then (trickling or stalled) is answered 408 and the connection closed. Default 60 s.
     *
     * @param timeout how long a client may take to send a whole HTTP request body, from the end of its headers
     * @return this builder
     */
    public Builder bodyTimeout(Duration timeout) {
      this.bodyTimeout = positive("bodyTimeout", timeout);
      return this;
    }

    /**
     * The hosts HTTP requests may name, as Django's {@code ALLOWED_HOSTS}: {@code "*"}, {@code
     * ".example.com"} (the domain and its subdomains) or exact names and IPs ({@code "[::1]"}), matched
     * case-insensitively against the {@code Host} header with its port ignored ({@code X-Forwarded-Host}
     * from a {@linkplain #trustedProxies trusted proxy}). Other hosts get 400. WebSocket handshakes are
     * not checked here (use an origin validator). Default: every host is allowed, unchecked.
     *
     * @param patterns the hosts HTTP requests may name, as Django's {@code ALLOWED_HOSTS}
     * @return this builder
     */
    public Builder allowedHosts(String... patterns) {
      this.allowedHosts = AllowedHosts.of(patterns);
      return this;
    }

    /**
     * How long the application has to accept or reject a WebSocket handshake; after that the client
     * gets 403 and the application {@code websocket.disconnect}. Default 10 s.
     *
     * @param timeout how long the application has to accept or reject a WebSocket handshake
     * @return this builder
     */
    public Builder handshakeTimeout(Duration timeout) {
      this.handshakeTimeout = positive("handshakeTimeout", timeout);
      return this;
    }

    /**
     * How often an open WebSocket is pinged; {@link Duration#ZERO} disables pings. Default 20 s.
     *
     * @param interval how often an open WebSocket is pinged
     * @return this builder
     */
    public Builder pingInterval(Duration interval) {
      this.pingInterval = notNegative("pingInterval", interval);
      return this;
    }

    /**
     * How long a pinged peer may stay silent (no pong, no frame) before it is dropped as dead; its
     * application sees {@code websocket.disconnect} with 1006. Default 30 s.
     *
     * @param timeout how long a pinged peer may stay silent
     * @return this builder
     */
    public Builder pingTimeout(Duration timeout) {
      this.pingTimeout = positive("pingTimeout", timeout);
      return this;
    }

    /**
     * Closes a WebSocket (1001) after this long without a frame in either direction; {@link
     * Duration#ZERO} (the default) never does.
     *
     * @param timeout how long to wait
     * @return this builder
     */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = notNegative("idleTimeout", timeout);
      return this;
    }

    /**
     * How long a closing WebSocket waits for the peer's close frame before dropping it. Default 5 s.
     *
     * @param timeout how long a closing WebSocket waits for the peer's close frame before dropping it
     * @return this builder
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = positive("closeTimeout", timeout);
      return this;
    }

    /**
     * Most HTTP requests plus WebSocket connections served at once; beyond it, 503. Default 10,000.
     *
     * @param max the maximum
     * @return this builder
     */
    public Builder maxConnections(int max) {
      this.maxConnections = (int) positive("maxConnections", max);
      return this;
    }

    /**
     * Most bytes queued for one slow WebSocket client (or one streamed HTTP response) before {@link
     * #overflowPolicy} applies. HTTP responses are slowed down instead. Default 1 MiB.
     *
     * @param bytes the size in bytes
     * @return this builder
     */
    public Builder maxOutboundBytes(long bytes) {
      this.maxOutboundBytes = positive("maxOutboundBytes", bytes);
      return this;
    }

    /**
     * Most frames queued for one slow WebSocket client. Default 10,000.
     *
     * @param frames the frames
     * @return this builder
     */
    public Builder maxOutboundFrames(int frames) {
      this.maxOutboundFrames = (int) positive("maxOutboundFrames", frames);
      return this;
    }

    /**
     * Most messages read from one WebSocket client and not yet taken by its application; at this
     * many, reading pauses (TCP pushes back on the client) until the application has taken half.
     * Default 64.
     *
     * @param messages the bound, at least 1
     * @return this builder
     */
    public Builder maxInboundMessages(int messages) {
      this.maxInboundMessages = (int) positive("maxInboundMessages", messages);
      return this;
    }

    /**
     * Most bytes of messages read from one WebSocket client and not yet taken by its application;
     * like {@link #maxInboundMessages}, reading pauses at this much. Default 1 MiB.
     *
     * @param bytes the bound, at least 1
     * @return this builder
     */
    public Builder maxInboundBytes(long bytes) {
      this.maxInboundBytes = positive("maxInboundBytes", bytes);
      return this;
    }

    /**
     * What happens when a WebSocket's outbound buffer is full. Default {@link OverflowPolicy#CLOSE}.
     *
     * @param policy what happens when a WebSocket's outbound buffer is full
     * @return this builder
     */
    public Builder overflowPolicy(OverflowPolicy policy) {
      this.overflowPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Peers whose proxy headers are believed: {@code X-Forwarded-For} (+{@code -Port}), {@code -Proto}, {@code
     * -Host} and Daphne's {@code Daphne-Root-Path}. Each entry is an IP address ({@code "127.0.0.1"}), a CIDR
     * range ({@code "10.0.0.0/8"}, {@code "fd00::/8"}) or {@code "*"}: every peer, as Daphne's {@code
     * --proxy-headers} does; dangerous unless only the proxy can reach the port, as anyone else could then
     * forge their address. From other peers the headers are passed on but not believed. Default: none.
     *
     * @param addresses IP addresses, CIDR ranges or {@code "*"}
     * @return this builder
     */
    public Builder trustedProxies(String... addresses) {
      this.trustedProxies = trustedProxies.plus(addresses);
      return this;
    }

    /**
     * The headers a trusted proxy names the client's address and port in (Daphne's {@code
     * --proxy-headers-host} / {@code --proxy-headers-port}, e.g. {@code X-Real-IP}). Default {@code
     * X-Forwarded-For} and {@code X-Forwarded-Port}.
     *
     * @param addressHeader the header holding the client address (its first comma-separated entry is used)
     * @param portHeader the header holding the client port
     * @return this builder
     */
    public Builder proxyHeaders(String addressHeader, String portHeader) {
      this.trustedProxies = trustedProxies.headers(addressHeader, portHeader);
      return this;
    }

    /**
     * The longest a WebSocket may stay open (Daphne's {@code websocket_timeout}); then it is closed with 1000.
     * {@link Duration#ZERO} (the default) lets it stay open for ever.
     *
     * @param lifetime the longest a WebSocket may stay open
     * @return this builder
     */
    public Builder websocketTimeout(Duration lifetime) {
      this.websocketTimeout = notNegative("websocketTimeout", lifetime);
      return this;
    }

    /**
     * How long an application may run after its connection ended (Daphne's {@code application_close_timeout});
     * then its stage is cancelled and the connection no longer counted. Default 10 s.
     *
     * @param timeout how long an application may run after its disconnect
     * @return this builder
     */
    public Builder applicationCloseTimeout(Duration timeout) {
      this.applicationCloseTimeout = positive("applicationCloseTimeout", timeout);
      return this;
    }

    /**
     * Offers the permessage-deflate WebSocket extension to clients that ask. Default off.
     *
     * @param enabled whether it is on
     * @return this builder
     */
    public Builder perMessageDeflate(boolean enabled) {
      this.perMessageDeflate = enabled;
      return this;
    }

    /**
     * Tells {@code observer} what the server does beneath the application (e.g. for metrics). Default: nobody.
     *
     * @param observer the observer
     * @return this builder
     */
    public Builder observer(ServerObserver observer) {
      this.observer = Objects.requireNonNull(observer, "observer");
      return this;
    }

    /**
     * Returns the handler.
     *
     * @return the handler
     */
    public ChannelsHandler build() {
      return new ChannelsHandler(new Settings(this));
    }
  }
}
