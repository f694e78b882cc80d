package io.channels4j.redis.internal;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis server of a pub/sub layer: a shared, pipelined connection for PUBLISH and one dedicated
 * subscriber connection. It keeps the set of Redis channels the layer wants and re-subscribes all of
 * them whenever the subscriber connection comes back (a restarted Redis has forgotten them). Logs one
 * line when the server is lost and one when every subscription is back.
 */
public final class PubSubShard {

  private static final Logger LOG = LoggerFactory.getLogger(PubSubShard.class);

  /** Channels per SUBSCRIBE command when re-subscribing in bulk. */
  private static final int BATCH = 500;

  private final int index;
  private final String description;
  private final RedisClient client;
  private final RedisURI uri;
  private final ClientResources resources;
  private final BiConsumer<String, byte[]> sink;
  private final Object lock = new Object();
  /** Wanted Redis channels and the confirmation of their latest SUBSCRIBE. */
  private final Map<String, CompletableFuture<Void>> wanted = new HashMap<>();
  private CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> subscriber;
  private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> publisher;
  private boolean closed;
  private boolean down;
  private long downSince;
  private boolean retryScheduled;

  /**
   * @param index the shard's position in the ring
   * @param description where it is, for logs and errors (no credentials)
   * @param uri the server
   * @param resources the lettuce resources (threads, reconnect delay)
   * @param options the client options (must auto-reconnect)
   * @param sink receives every message on a subscribed channel: (Redis channel name, payload), on an I/O thread
   */
  public PubSubShard(int index, String description, RedisURI uri, ClientResources resources, ClientOptions options,
      BiConsumer<String, byte[]> sink) {
    this.index = index;
    this.description = description;
    this.uri = uri;
    this.resources = resources;
    this.sink = sink;
    this.client = RedisClient.create(resources);
    client.setOptions(options);
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
        // either connection back: (re-)subscribe everything wanted; duplicates are harmless, and a
        // subscriber still away makes the attempt fail and retry until it is back
        if (isDown() || isSubscriber(connection)) {
          resubscribeAll();
        }
      }

      @Override
      public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
        lost();
      }
    });
  }

  /** The position in the ring. */
  public int index() {
    return index;
  }

  /** Where this shard is. */
  public String description() {
    return description;
  }

  private boolean isSubscriber(RedisChannelHandler<?, ?> connection) {
    CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> s;
    synchronized (lock) {
      s = subscriber;
    }
    return s != null && s.isDone() && !s.isCompletedExceptionally() && s.join() == connection;
  }

  /** Connects both connections in the background. */
  public void start() {
    subscriberConnection();
    publisherConnection();
  }

  private CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> subscriberConnection() {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("the channel layer is closed"));
      }
      if (subscriber != null && !subscriber.isCompletedExceptionally()) {
        return subscriber;
      }
      CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> f =
          client.connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
      subscriber = f;
      f.whenComplete((c, e) -> {
        if (e != null) {
          lost();
          scheduleRetry();
          return;
        }
        boolean close;
        synchronized (lock) {
          close = closed;
        }
        if (close) {
          c.closeAsync();
          return;
        }
        c.addListener(new RedisPubSubAdapter<byte[], byte[]>() {
          @Override
          public void message(byte[] channel, byte[] message) {
            sink.accept(new String(channel, StandardCharsets.UTF_8), message);
          }

          @Override
          public void subscribed(byte[] channel, long count) {
            String name = new String(channel, StandardCharsets.UTF_8);
            boolean stale;
            synchronized (lock) {
              stale = !closed && !wanted.containsKey(name);
            }
            if (stale) {
              // lettuce re-subscribed a channel given up while Redis was away
              c.async().unsubscribe(channel);
            }
          }
        });
        if (!wanted.isEmpty()) {
          resubscribeAll();
        }
      });
      return f;
    }
  }

  private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> publisherConnection() {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("the channel layer is closed"));
      }
      if (publisher != null && !publisher.isCompletedExceptionally()) {
        return publisher;
      }
      CompletableFuture<StatefulRedisConnection<byte[], byte[]>> f =
          client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
      publisher = f;
      f.whenComplete((c, e) -> {
        if (e != null) {
          lost();
        } else {
          boolean close;
          synchronized (lock) {
            close = closed;
          }
          if (close) {
            c.closeAsync();
          }
        }
      });
      return f;
    }
  }

  /** PUBLISHes {@code payload} to {@code channel}; completes with the number of subscribers that got it. */
  public CompletableFuture<Long> publish(byte[] channel, byte[] payload) {
    return publisherConnection().thenCompose(c -> c.async().publish(channel, payload).toCompletableFuture());
  }

  /**
   * Wants {@code channel} subscribed; completes when Redis confirmed the SUBSCRIBE (at once if it already
   * did). A failed attempt is retried by the next call and by every reconnect.
   */
  public CompletableFuture<Void> subscribe(String channel) {
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("the channel layer is closed"));
      }
      CompletableFuture<Void> f = wanted.get(channel);
      if (f != null && !f.isCompletedExceptionally()) {
        return f;
      }
      CompletableFuture<Void> next = subscriberConnection()
          .thenCompose(c -> c.async().subscribe(bytes(channel)).toCompletableFuture());
      wanted.put(channel, next);
      return next;
    }
  }

  /**
   * Completes once every message Redis sent to the subscriber connection before now has been handed to
   * the sink (a PING answered on that connection); completes normally, at once, if it is down.
   */
  public CompletableFuture<Void> barrier() {
    return subscriberConnection()
        .thenCompose(c -> c.isOpen() ? c.async().ping().toCompletableFuture() : CompletableFuture.completedFuture(""))
        .handle((v, e) -> null);
  }

  /** No longer wants {@code channel}: UNSUBSCRIBEs (best effort; a reconnect will not bring it back). */
  public void unsubscribe(String channel) {
    CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> s;
    synchronized (lock) {
      if (wanted.remove(channel) == null || closed) {
        return;
      }
      s = subscriber;
      if (s == null || !s.isDone() || s.isCompletedExceptionally()) {
        return;
      }
      // issued under the lock so a later SUBSCRIBE of the same name is written after it
      try {
        s.join().async().unsubscribe(bytes(channel)).exceptionally(e -> null);
      } catch (RuntimeException e) {
        LOG.debug("UNSUBSCRIBE {} on {} failed: {}", channel, description, e.toString());
      }
    }
  }

  /** How many Redis channels are wanted. */
  public int subscriptionCount() {
    synchronized (lock) {
      return wanted.size();
    }
  }

  /** True between a loss and the recovery (every subscription confirmed again). */
  public boolean isDown() {
    synchronized (lock) {
      return down;
    }
  }

  private void lost() {
    int n;
    synchronized (lock) {
      if (closed || down) {
        return;
      }
      down = true;
      downSince = System.nanoTime();
      n = wanted.size();
    }
    LOG.warn("Redis {} (pub/sub shard {}) connection lost: sends fail fast and messages published meanwhile are"
        + " lost; {} subscriptions will be restored when it is back", description, index, n);
  }

  private void resubscribeAll() {
    List<byte[]> names = new ArrayList<>();
    List<String> keys;
    CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> s;
    synchronized (lock) {
      if (closed) {
        return;
      }
      keys = new ArrayList<>(wanted.keySet());
      s = subscriber;
    }
    if (s == null || !s.isDone() || s.isCompletedExceptionally()) {
      return;
    }
    StatefulRedisPubSubConnection<byte[], byte[]> c = s.join();
    for (String k : keys) {
      names.add(bytes(k));
    }
    List<CompletableFuture<Void>> all = new ArrayList<>();
    synchronized (lock) {
      for (int i = 0; i < names.size(); i += BATCH) {
        List<byte[]> batch = names.subList(i, Math.min(names.size(), i + BATCH));
        CompletableFuture<Void> f = c.async().subscribe(batch.toArray(new byte[0][])).toCompletableFuture();
        all.add(f);
        for (int j = 0; j < batch.size(); j++) {
          String name = keys.get(i + j);
          if (wanted.containsKey(name)) {
            wanted.put(name, f);
          }
        }
      }
    }
    CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).whenComplete((v, e) -> {
      if (e != null) {
        LOG.debug("re-subscribing on {} failed, retrying: {}", description, e.toString());
        scheduleRetry();
        return;
      }
      long since;
      synchronized (lock) {
        if (closed || !down) {
          return;
        }
        down = false;
        since = downSince;
      }
      LOG.info("Redis {} (pub/sub shard {}) is back after {} ms: re-subscribed {} channels", description, index,
          (System.nanoTime() - since) / 1_000_000, keys.size());
    });
  }

  private void scheduleRetry() {
    synchronized (lock) {
      if (closed || retryScheduled) {
        return;
      }
      retryScheduled = true;
    }
    try {
      resources.eventExecutorGroup().schedule(() -> {
        synchronized (lock) {
          retryScheduled = false;
        }
        CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> s = subscriberConnection();
        if (s.isDone() && !s.isCompletedExceptionally()) {
          resubscribeAll();
        }
      }, 200, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      LOG.debug("could not schedule a reconnect (shutting down?)", e);
    }
  }

  /** Closes both connections (by shutting the client down); completes when they are closed. */
  public CompletableFuture<Void> closeAsync() {
    synchronized (lock) {
      closed = true;
      wanted.clear();
    }
    return client.shutdownAsync(0, 2, TimeUnit.SECONDS).handle((v, e) -> null);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
