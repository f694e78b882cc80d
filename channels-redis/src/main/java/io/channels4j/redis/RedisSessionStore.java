package io.channels4j.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.auth.SessionStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sessions in Redis, shared by every node of a deployment: each session is one string key {@code
 * <prefix><session key>} holding the data as JSON, with a TTL of the session max age (Redis expires it;
 * every save renews it). Needs channels-auth on the classpath (an optional dependency of this module).
 *
 * <pre>{@code
 * RedisSessionStore store = RedisSessionStore.create("redis://localhost:6379/0");
 * Application app = AuthMiddlewareStack.of(router, store, secretKeys, users);
 * // on shutdown
 * store.close();
 * }</pre>
 *
 * <p>One connection (lettuce, auto-reconnecting) serves every request; calls never block. While Redis is
 * unreachable, loads and saves fail, so the connection they belong to fails (HTTP 500, WebSocket 1011).
 */
public final class RedisSessionStore implements SessionStore, AutoCloseable {

  /** The key prefix unless another is given. */
  public static final String DEFAULT_PREFIX = "channels4j:session:";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String prefix;

  private RedisSessionStore(RedisClient client, StatefulRedisConnection<String, String> connection, String prefix) {
    this.client = client;
    this.connection = connection;
    this.prefix = prefix;
  }

  /**
   * Connects to the Redis server at {@code uri} ({@code redis://host:port/db}, {@code rediss://} for TLS).
   *
   * @param uri the URI
   * @return the redis session store
   * @throws IllegalArgumentException if the URI is malformed
   * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
   */
  public static RedisSessionStore create(String uri) {
    return create(uri, DEFAULT_PREFIX);
  }

  /**
   * Connects to {@code uri}, keeping sessions under keys starting with {@code prefix}.
   *
   * @param uri the URI
   * @param prefix the channel name prefix
   * @return the redis session store
   */
  public static RedisSessionStore create(String uri, String prefix) {
    return create(uri, prefix, null);
  }

  /**
   * Connects to {@code uri} on lettuce {@code resources} shared with other clients (for example the
   * channel layer's, see {@link RedisChannelLayer.Builder#clientResources}), so the store adds no
   * threads of its own; the caller shuts the resources down after closing the store. Null resources
   * means the store's own.
   *
   * @param uri the Redis URI, e.g. {@code redis://localhost:6379/0}
   * @param prefix the prefix of the keys sessions are kept under
   * @param resources the lettuce resources to share; null for the store's own
   * @return the connected store; close it when done
   * @throws IllegalArgumentException if the URI is malformed
   * @throws io.lettuce.core.RedisConnectionException if Redis cannot be reached
   */
  public static RedisSessionStore create(String uri, String prefix, ClientResources resources) {
    Objects.requireNonNull(prefix, "prefix");
    RedisURI redisUri = Options.redisUri(uri, "session store");
    RedisClient client = resources == null ? RedisClient.create(redisUri) : RedisClient.create(resources, redisUri);
    try {
      return new RedisSessionStore(client, client.connect(), prefix);
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
  }

  @Override
  public CompletionStage<Optional<Map<String, Object>>> load(String key, Duration maxAge) {
    if (key == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return connection.async().get(prefix + key).thenApply(json -> Optional.ofNullable(json).map(RedisSessionStore::read));
  }

  @Override
  public CompletionStage<String> save(String key, Map<String, Object> data, Duration maxAge) {
    String k = key == null ? SessionStore.randomKey() : key;
    String json;
    try {
      json = JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("session data is not JSON", e));
    }
    return connection.async().set(prefix + k, json, SetArgs.Builder.px(maxAge.toMillis())).thenApply(ok -> k);
  }

  @Override
  public CompletionStage<Void> delete(String key) {
    if (key == null) {
      return CompletableFuture.completedFuture(null);
    }
    return connection.async().del(prefix + key).thenApply(n -> null);
  }

  private static Map<String, Object> read(String json) {
    try {
      return JSON.readValue(json, MAP);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("session data in Redis is not a JSON object", e);
    }
  }

  /** Closes the connection. */
  @Override
  public void close() {
    connection.close();
    client.shutdown();
  }

  @Override
  public String toString() {
    return "RedisSessionStore[" + prefix + "*]";
  }
}
