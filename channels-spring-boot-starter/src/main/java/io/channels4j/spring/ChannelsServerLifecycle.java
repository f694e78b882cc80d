package io.channels4j.spring;

import io.channels4j.Application;
import io.channels4j.undertow.ChannelsServer;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Runs the Channels4J Undertow server ({@link ChannelsServer}) with the context: started once the context is
 * refreshed, stopped gracefully (WebSockets closed with 1001, applications given {@code
 * channels.server.shutdown-timeout}) before the beans it serves are destroyed. Once started, the bound port is
 * {@link #port()} and the environment property {@value #PORT_PROPERTY} (handy with {@code
 * channels.server.port=0} in tests: {@code @Value("${local.channels.port}")}).
 */
public final class ChannelsServerLifecycle implements SmartLifecycle {

  /** The environment property holding the bound port while the server runs. */
  public static final String PORT_PROPERTY = "local.channels.port";

  private final Supplier<ChannelsServer> servers;
  private final ConfigurableEnvironment environment;
  private ChannelsServer server;

  ChannelsServerLifecycle(Application application, ChannelsProperties.Server settings,
      ConfigurableEnvironment environment) {
    // A new server per start: a stopped server's handler has shut down for good.
    this.servers = () -> ServerBuilders.of(application, settings).build();
    this.environment = environment;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      return;
    }
    ChannelsServer started = servers.get().start();
    server = started;
    environment.getPropertySources().addFirst(
        new MapPropertySource(PORT_PROPERTY, Map.of(PORT_PROPERTY, started.port())));
  }

  @Override
  public void stop() {
    ChannelsServer running;
    synchronized (this) {
      running = server;
      server = null;
    }
    if (running != null) {
      environment.getPropertySources().remove(PORT_PROPERTY);
      running.stop();
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * The bound port.
   *
   * @return the port the server listens on (the real one when configured with port 0)
   * @throws IllegalStateException if the server is not running
   */
  public synchronized int port() {
    if (server == null) {
      throw new IllegalStateException("the Channels4J server is not running");
    }
    return server.port();
  }

  /**
   * The running server, e.g. for its handler's counters.
   *
   * @return the server, or null when stopped
   */
  public synchronized ChannelsServer server() {
    return server;
  }
}
