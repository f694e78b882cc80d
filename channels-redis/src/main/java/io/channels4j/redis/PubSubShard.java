package io.channels4j.redis;

import io.channels4j.layers.ChannelLayerUnavailableException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One Redis server of {@link RedisPubSubChannelLayer}: its {@link Shard} (the command connection that
 * PUBLISHes) and one subscriber connection, opened on first use, whose messages go to {@code
 * onMessage}. Lettuce re-subscribes the subscriber's channels after a reconnect.
 */
final class PubSubShard {

  private final RedisClient client;
  private final RedisURI uri;
  private final Shard commands;
  private final RedisConnections connections;
  private final BiConsumer<String, byte[]> onMessage;
  private CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> subscriber;

  PubSubShard(RedisConnections connections, RedisURI uri, BiConsumer<String, byte[]> onMessage) {
    this.connections = connections;
    this.uri = uri;
    this.client = connections.addHost(uri);
    this.commands = connections.shards().get(connections.shards().size() - 1);
    this.onMessage = onMessage;
  }

  private synchronized CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> subscriber() {
    if (connections.closed()) {
      return CompletableFuture.failedFuture(new ChannelLayerUnavailableException("the pub/sub layer is closed", null));
    }
    if (subscriber == null || subscriber.isCompletedExceptionally()) {
      subscriber = client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture().thenApply(c -> {
        c.addListener(new RedisPubSubAdapter<byte[], byte[]>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            onMessage.accept(new String(channel, StandardCharsets.UTF_8), message);
          }
        });
        return c;
      });
    }
    return subscriber;
  }

  CompletableFuture<Void> subscribe(String name) {
    return mapped(subscriber().thenCompose(c -> c.async().subscribe(KeyLayout.bytes(name)).toCompletableFuture()));
  }

  CompletableFuture<Void> unsubscribe(String name) {
    return mapped(subscriber().thenCompose(c -> c.async().unsubscribe(KeyLayout.bytes(name)).toCompletableFuture()));
  }

  private CompletableFuture<Void> mapped(CompletableFuture<Void> f) {
    return f.handle((v, e) -> {
      if (e != null) {
        throw RedisConnections.failure(e, commands);
      }
      return null;
    });
  }

  /**
   * Completes once the subscriber has handed on every message Redis pushed to it before this call: a PING on
   * the subscriber connection is answered after them, in order.
   */
  CompletableFuture<Void> caughtUp() {
    CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> s;
    synchronized (this) {
      s = subscriber;
    }
    return s == null ? CompletableFuture.completedFuture(null)
        : mapped(s.thenCompose(c -> c.async().ping().toCompletableFuture()).thenApply(pong -> null));
  }

  CompletableFuture<Long> publish(String name, byte[] payload) {
    return RedisConnections.onShard(commands, r -> r.publish(KeyLayout.bytes(name), payload));
  }

  /** Closes the subscriber connection (the command connection closes with the others). */
  CompletableFuture<Void> closeSubscriber() {
    CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> s;
    synchronized (this) {
      s = subscriber;
    }
    return s == null ? CompletableFuture.completedFuture(null)
        : s.handle((c, e) -> c).thenCompose(c -> c == null ? CompletableFuture.completedFuture(null) : c.closeAsync());
  }
}
