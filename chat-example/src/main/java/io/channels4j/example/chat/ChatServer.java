package io.channels4j.example.chat;

import io.channels4j.Application;
import io.channels4j.ServerObserver;
import io.channels4j.auth.InMemorySessionStore;
import io.channels4j.auth.SessionStore;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.micrometer.ChannelsMeters;
import io.channels4j.redis.RedisChannelLayer;
import io.channels4j.redis.RedisSessionStore;
import io.channels4j.undertow.ChannelsServer;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running chat server: the channel layer chosen by the options, bound as its application's default layer, sessions
 * beside it (in memory, or in the same Redis), and {@link ChatApplication} served by a {@link ChannelsServer}; with
 * {@code --metrics}, Micrometer meters on the application, layer and server, served at {@code /metrics}. {@link ChatServerMain} starts one; tests
 * start them on port 0.
 */
public final class ChatServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ChatServer.class);
  private static final Duration REDIS_CHECK_TIMEOUT = Duration.ofSeconds(5);

  /** The largest WebSocket message the server takes (1 MiB); a larger one closes the socket with 1009. */
  public static final int MAX_MESSAGE_BYTES = 1 << 20;

  private final ChatOptions options;
  private final ChannelLayer layer;
  private final SessionStore sessions;
  private final ChannelsServer server;
  private final ClientResources redisResources;
  private final int port;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ChatServer(ChatOptions options, ChannelLayer layer, SessionStore sessions, ChannelsServer server,
      ClientResources redisResources) {
    this.redisResources = redisResources;
    this.options = options;
    this.layer = layer;
    this.sessions = sessions;
    this.server = server;
    this.port = server.port();
  }

  /**
   * Creates the layer, {@linkplain ChannelLayers#bind binds} it as the application's {@link ChannelLayers#DEFAULT}
   * layer (nothing global is registered) and starts serving.
   *
   * @throws RuntimeException if the server cannot listen or Redis cannot be reached; nothing is left running
   */
  public static ChatServer start(ChatOptions options) {
    Objects.requireNonNull(options, "options");
    // On Redis, the layer and the session store share one set of lettuce threads.
    ClientResources resources = options.layer() == ChatOptions.Layer.REDIS ? DefaultClientResources.create() : null;
    PrometheusMeterRegistry registry = options.metrics() ? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : null;
    ChannelsMeters meters = registry == null ? null : new ChannelsMeters(registry);
    ChannelLayer layer = meters == null ? createLayer(options, resources) : meters.instrument(createLayer(options, resources));
    ChannelsServer server = null;
    SessionStore sessions = null;
    try {
      if (options.layer() == ChatOptions.Layer.REDIS) {
        checkReachable(layer, options.redisUrl());
      }
      sessions = options.layer() == ChatOptions.Layer.REDIS
          ? RedisSessionStore.create(options.redisUrl(), RedisSessionStore.DEFAULT_PREFIX, resources)
          : new InMemorySessionStore();
      ChatApplication.Identity identity = new ChatApplication.Identity(
          sessions, List.of(secretKey(options)), options.rateLimit(), options.maxConnectionsPerIp());
      // Bound to this server's application, not registered globally: two servers in one JVM (tests, the
      // multi-node checks) each keep their own layer.
      Application app = ChatApplication.create(options.allowedHosts(), identity, new ChatApplication.Rooms(
          options.history(), options.stats() ? StatsWorker.CHANNEL : null));
      if (meters != null) {
        app = MetricsPage.inFrontOf(meters.instrument(app), registry::scrape);
      }
      app = ChannelLayers.bind(app, alias -> ChannelLayers.DEFAULT.equals(alias) ? layer : null);
      server =
          ChannelsServer.builder(app)
              .observer(meters == null ? ServerObserver.NONE : meters)
              .host(options.host())
              .port(options.port())
              .maxMessageSize(MAX_MESSAGE_BYTES)
              .maxConnections(options.maxConnections())
              // per address, --max-connections-per-ip (the middleware) decides, 0 meaning no limit of its own;
              // the server's gate only bounds the total (--max-connections, 503)
              .maxConnectionsPerAddress(Integer.MAX_VALUE)
              .allowedHosts(options.allowedHosts().toArray(String[]::new))
              .build();
      server.start();
      return new ChatServer(options, layer, sessions, server, resources);
    } catch (RuntimeException e) {
      if (server != null) {
        server.stop();
      }
      if (sessions instanceof RedisSessionStore redis) {
        redis.close();
      }
      layer.close();
      if (resources != null) {
        resources.shutdown();
      }
      throw e;
    }
  }

  /**
   * The chat application as {@link #start} serves it, for a server started elsewhere (the adapter's {@code Main}): the
   * layer and sessions that {@code options} choose (in memory unless {@code CHAT_LAYER=redis}), bound to the
   * application. The server's own options (host, port, allowed hosts on plain HTTP, metrics) are not applied; the
   * layer lives as long as the process.
   *
   * @throws RuntimeException if Redis cannot be reached; nothing is left running
   */
  static Application application(ChatOptions options) {
    ClientResources resources = options.layer() == ChatOptions.Layer.REDIS ? DefaultClientResources.create() : null;
    ChannelLayer layer = createLayer(options, resources);
    try {
      if (options.layer() == ChatOptions.Layer.REDIS) {
        checkReachable(layer, options.redisUrl());
      }
      SessionStore sessions = options.layer() == ChatOptions.Layer.REDIS
          ? RedisSessionStore.create(options.redisUrl(), RedisSessionStore.DEFAULT_PREFIX, resources)
          : new InMemorySessionStore();
      Application app = ChatApplication.create(options.allowedHosts(), new ChatApplication.Identity(sessions,
          List.of(secretKey(options)), options.rateLimit(), options.maxConnectionsPerIp()),
          new ChatApplication.Rooms(options.history(), options.stats() ? StatsWorker.CHANNEL : null));
      if (options.metrics()) {
        LOG.warn("CHAT_METRICS is served only by the chat example's own server (java -jar chat-example.jar)");
      }
      return ChannelLayers.bind(app, alias -> ChannelLayers.DEFAULT.equals(alias) ? layer : null);
    } catch (RuntimeException e) {
      layer.close();
      if (resources != null) {
        resources.shutdown();
      }
      throw e;
    }
  }

  /** The given secret key, or a random one with a WARN saying what that costs. */
  private static String secretKey(ChatOptions options) {
    if (options.secretKey() != null) {
      return options.secretKey();
    }
    LOG.warn("No --secret-key (CHAT_SECRET_KEY) given: session cookies are signed with a random key, so sessions"
        + " (display names) end when this process stops{}", options.layer() == ChatOptions.Layer.REDIS
        ? " and are not recognised by other nodes; give every node the same --secret-key" : "");
    return ChatApplication.randomSecretKey();
  }

  /** Fails fast, with a clear message, when Redis cannot be reached, rather than on the first message. */
  private static void checkReachable(ChannelLayer layer, String redisUrl) {
    try {
      // Removing a channel that was never added from a group nobody uses: a harmless round trip.
      layer.groupDiscard("chat_startup_check", "chat.startup-check").toCompletableFuture()
          .get(REDIS_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while checking Redis at " + redisUrl, e);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("cannot reach Redis at " + redisUrl + " (" + cause.getMessage()
          + "); start redis-server, pass --redis-url, or use --layer memory", cause);
    }
  }

  private static ChannelLayer createLayer(ChatOptions options, ClientResources resources) {
    return switch (options.layer()) {
      case MEMORY -> InMemoryChannelLayer.create();
      case REDIS -> RedisChannelLayer.builder().host(options.redisUrl()).clientResources(resources).build();
    };
  }

  /** The port it listens on (the real one when the options said 0). */
  public int port() {
    return port;
  }

  /** The index page's URL, e.g. {@code http://127.0.0.1:8000/chat/}. */
  public String url() {
    return options.indexUrl(port());
  }

  /** The channel layer its consumers use. */
  public ChannelLayer layer() {
    return layer;
  }

  /** Stops serving and closes the layer; does nothing the second time. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      server.stop();
    } finally {
      layer.close();
      if (sessions instanceof RedisSessionStore redis) {
        redis.close();
      }
      if (redisResources != null) {
        redisResources.shutdown();
      }
      LOG.info("Chat server on port {} stopped", port);
    }
  }
}
