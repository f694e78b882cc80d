package io.channels4j.micrometer;

import io.channels4j.Application;
import io.channels4j.Scope;
import io.channels4j.ServerObserver;
import io.channels4j.layers.ChannelLayer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters for Channels4J. Wrap the application ({@link #instrument(Application)}) for connections
 * and messages, wrap the channel layer ({@link #instrument(ChannelLayer)}) for group sends, deliveries,
 * operation latency and failures, and hand this object to the server as its observer for outbound overflows
 * and inbox pauses:
 *
 * <pre>{@code
 * ChannelsMeters meters = new ChannelsMeters(registry);
 * ChannelLayer layer = meters.instrument(RedisChannelLayer.builder().host(url).build());
 * Application app = ChannelLayers.bind(meters.instrument(router), alias -> layer);
 * ChannelsServer.builder(app).observer(meters).build().start();
 * }</pre>
 *
 * <p>Meters (Prometheus names in brackets):
 *
 * <ul>
 *   <li>{@code channels.connections.open} [{@code channels_connections_open}]: gauge, tag {@code protocol}
 *       ({@code websocket}: accepted and not yet closed; {@code http}: requests in progress)
 *   <li>{@code channels.connections.opened} [{@code _total}]: counter, tag {@code protocol}
 *   <li>{@code channels.connections.closed} [{@code _total}]: counter, tags {@code protocol} and {@code code}
 *       (the WebSocket close code, 1006 if the connection ended without one; the HTTP status)
 *   <li>{@code channels.messages.in}, {@code channels.messages.out} [{@code _total}]: WebSocket frames from and
 *       to clients, HTTP request and response events; tag {@code protocol}
 *   <li>{@code channels.group.sends} [{@code _total}]: {@code groupSend} calls; tag {@code layer}
 *   <li>{@code channels.deliveries} [{@code _total}]: messages the layer handed to a consumer; tag {@code layer}
 *   <li>{@code channels.layer.operations} [{@code _seconds}]: timer of every layer call but {@code receive}
 *       (which waits for a message); tags {@code layer}, {@code operation}, {@code outcome}
 *   <li>{@code channels.layer.failures} [{@code _total}]: failed layer calls (on the Redis layer: Redis
 *       failures); tags {@code layer}, {@code operation}, {@code exception}
 *   <li>{@code channels.outbound.overflows} [{@code _total}]: frames queued over a slow client's bound
 *   <li>{@code channels.inbox.pauses} [{@code _total}]: times a full inbox paused reading a socket
 * </ul>
 */
public final class ChannelsMeters implements ServerObserver {

  private final MeterRegistry registry;
  private final Counter overflows;
  private final Counter inboxPauses;
  private final Protocol websocket;
  private final Protocol http;

  /**
   * Meters registered in {@code registry}.
   *
   * @param registry the registry to register the meters in
   */
  public ChannelsMeters(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.overflows = Counter.builder("channels.outbound.overflows")
        .description("Frames queued for a WebSocket client over its outbound bound").register(registry);
    this.inboxPauses = Counter.builder("channels.inbox.pauses")
        .description("Times a full inbox paused reading a socket").register(registry);
    this.websocket = new Protocol(Scope.WEBSOCKET);
    this.http = new Protocol(Scope.HTTP);
  }

  /** {@return the registry the meters live in} */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Wraps {@code application}, counting its connections and messages; other scope types pass through uncounted.
   *
   * @param application the application to meter
   * @return an application that handles every connection with {@code application}, metering WebSocket and HTTP ones
   */
  public Application instrument(Application application) {
    Objects.requireNonNull(application, "application");
    return (scope, receive, send) -> switch (scope.type()) {
      case Scope.WEBSOCKET -> MeteredConnection.run(websocket, true, application, scope, receive, send);
      case Scope.HTTP -> MeteredConnection.run(http, false, application, scope, receive, send);
      default -> application.handle(scope, receive, send);
    };
  }

  /**
   * Wraps {@code layer}, timing its operations and counting group sends, deliveries and failures.
   *
   * @param layer the layer to meter
   * @return a layer that delegates to {@code layer} and records its meters in this registry
   */
  public ChannelLayer instrument(ChannelLayer layer) {
    return new MeteredLayer(layer, this);
  }

  @Override
  public void outboundOverflow(Scope scope) {
    overflows.increment();
  }

  @Override
  public void inboxPaused(Scope scope) {
    inboxPauses.increment();
  }

  // ------------------------------------------------------------ used by the metered wrappers

  /** The meters of one protocol. */
  final class Protocol {
    final AtomicLong open = new AtomicLong();
    final Counter opened;
    final Counter in;
    final Counter out;
    private final String name;

    Protocol(String name) {
      this.name = name;
      registry.gauge("channels.connections.open", Tags.of("protocol", name), open);
      opened = Counter.builder("channels.connections.opened").tag("protocol", name)
          .description("Connections opened (WebSocket: accepted)").register(registry);
      in = Counter.builder("channels.messages.in").tag("protocol", name)
          .description("Messages from clients").register(registry);
      out = Counter.builder("channels.messages.out").tag("protocol", name)
          .description("Messages to clients").register(registry);
    }

    void closed(int code) {
      open.decrementAndGet();
      Counter.builder("channels.connections.closed").tags("protocol", name, "code", Integer.toString(code))
          .description("Connections closed, by close code or HTTP status").register(registry).increment();
    }
  }

  void groupSent(String layer) {
    registry.counter("channels.group.sends", "layer", layer).increment();
  }

  void delivered(String layer) {
    registry.counter("channels.deliveries", "layer", layer).increment();
  }

  void operation(String layer, String operation, long nanos, Throwable failure) {
    Timer.builder("channels.layer.operations")
        .tags("layer", layer, "operation", operation, "outcome", failure == null ? "success" : "failure")
        .description("Channel layer operation latency").register(registry)
        .record(nanos, TimeUnit.NANOSECONDS);
    if (failure != null) {
      failed(layer, operation, failure);
    }
  }

  void failed(String layer, String operation, Throwable failure) {
    registry.counter("channels.layer.failures", "layer", layer, "operation", operation,
        "exception", failure.getClass().getSimpleName()).increment();
  }
}
