package io.channels4j.spring;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code channels.*} properties: channel layers by alias and the Channels4J server.
 *
 * <pre>
 * channels.layers.default.url=redis://localhost:6379
 * channels.layers.default.capacity=200
 * channels.layers.default.expiry=30s
 * channels.server.port=8000
 * </pre>
 *
 * <p>A property left out keeps the library's default (the one its builder documents); a list or map left
 * out is empty.
 *
 * @param layers the channel layers by alias; {@code default} is the one consumers use
 * @param server the Channels4J Undertow server
 */
@ConfigurationProperties("channels")
public record ChannelsProperties(@DefaultValue Map<String, Layer> layers, @DefaultValue Server server) {

  /**
   * One channel layer, read by core's {@code ChannelLayers.Configuration.read} (the same keys and messages as
   * {@code ChannelLayers.configure}). Without {@code backend}: without {@code url}, {@code hosts} or {@code
   * cluster} (or with {@code url=memory:}) it is an {@code InMemoryChannelLayer}; with a {@code redis://},
   * {@code rediss://}, {@code redis-socket://} or {@code redis-sentinel://} URL it is a {@code
   * RedisChannelLayer} (add {@code channels-redis}).
   *
   * @param backend {@code inmemory}, {@code redis}, {@code redis-pubsub} or a {@code ChannelLayers.Factory} class
   * @param url the layer: {@code memory:} or one Redis URI
   * @param hosts more Redis URIs, one shard each, in the Python peers' order (after {@code url})
   * @param cluster Redis Cluster seed node URIs, instead of {@code url} and {@code hosts}
   * @param prefix the Redis key prefix (Redis only)
   * @param capacity messages a channel holds before sends fail
   * @param expiry how long an unreceived message lives
   * @param groupExpiry how long a group membership lives without being renewed
   * @param channelCapacity capacities by channel name glob, e.g. {@code channel-capacity[http.request.*]=200}
   * @param symmetricEncryptionKeys channels_redis's symmetric encryption keys (Redis only)
   * @param commandTimeout how long a Redis command may take (Redis only)
   * @param livenessTimeout after how long without a liveness mark a process counts as gone (Redis only)
   * @param options any other option of the backend, as text, e.g. {@code options.sentinel-master=mymaster}
   */
  public record Layer(
      String backend,
      String url,
      @DefaultValue List<String> hosts,
      @DefaultValue List<String> cluster,
      String prefix,
      Integer capacity,
      Duration expiry,
      Duration groupExpiry,
      @DefaultValue Map<String, Integer> channelCapacity,
      @DefaultValue List<String> symmetricEncryptionKeys,
      Duration commandTimeout,
      Duration livenessTimeout,
      @DefaultValue Map<String, String> options) {}

  /**
   * The Channels4J Undertow server, run as a lifecycle bean when an {@code Application} bean exists.
   *
   * @param enabled whether to run it (default true)
   * @param host the address to bind (default {@code 127.0.0.1})
   * @param port the port (default 8000; 0 picks a free one, published as {@code local.channels.port})
   * @param ioThreads Undertow I/O threads
   * @param rootPath the ASGI root path
   * @param allowedHosts Host header patterns accepted
   * @param trustedProxies proxy addresses whose forwarded headers are believed
   * @param maxConnections open connections in total
   * @param maxConnectionsPerAddress open connections per client address
   * @param maxHeaderSize request header bytes
   * @param maxBodySize HTTP request body bytes
   * @param maxMessageSize WebSocket message bytes
   * @param maxOutboundBytes bytes queued to one slow client before the overflow policy applies
   * @param maxOutboundFrames frames queued to one slow client before the overflow policy applies
   * @param headerTimeout time to send the request headers
   * @param bodyTimeout time to send the request body
   * @param handshakeTimeout time for the application to accept or reject a WebSocket
   * @param idleTimeout time a WebSocket may stay silent
   * @param pingInterval WebSocket ping interval
   * @param pingTimeout time to answer a ping
   * @param closeTimeout time to answer a close frame
   * @param shutdownTimeout time applications get to finish on shutdown
   * @param perMessageDeflate whether to offer permessage-deflate
   */
  public record Server(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("127.0.0.1") String host,
      @DefaultValue("8000") int port,
      Integer ioThreads,
      String rootPath,
      @DefaultValue List<String> allowedHosts,
      @DefaultValue List<String> trustedProxies,
      Integer maxConnections,
      Integer maxConnectionsPerAddress,
      DataSize maxHeaderSize,
      DataSize maxBodySize,
      DataSize maxMessageSize,
      DataSize maxOutboundBytes,
      Integer maxOutboundFrames,
      Duration headerTimeout,
      Duration bodyTimeout,
      Duration handshakeTimeout,
      Duration idleTimeout,
      Duration pingInterval,
      Duration pingTimeout,
      Duration closeTimeout,
      Duration shutdownTimeout,
      Boolean perMessageDeflate) {}
}
