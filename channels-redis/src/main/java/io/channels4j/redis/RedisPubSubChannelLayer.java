package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.internal.LogText;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayerUnavailableException;
import io.channels4j.layers.ChannelNames;
import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ChannelLayer} on Redis pub/sub, wire-compatible with Python's {@code
 * channels_redis.pubsub.RedisPubSubChannelLayer}: messages are {@code PUBLISH}ed as plain msgpack (no
 * random prefix, no {@code __asgi_channel__}; JSON and Fernet encryption as in channels_redis 4.2+ with
 * {@link Builder#serializerFormat} and {@link Builder#symmetricEncryptionKeys}) to the channel name itself, and group messages to {@code
 * {prefix}__group__{group}}; the shard of a name is channels_redis's CRC32 hash of it.
 *
 * <pre>{@code
 * ChannelLayer layer = RedisPubSubChannelLayer.builder().host("redis://127.0.0.1:6379").build();
 * }</pre>
 *
 * <p>Pub/sub is fire-and-forget, and this layer documents the same differences from the core contract
 * as channels_redis's: no capacity, no expiry, no group expiry; a message published while nobody in
 * any process is subscribed to its channel (for example a send to a named channel before its first
 * {@link #receive}, or during a Redis outage) is lost; every subscribed process gets a copy. Unlike
 * channels_redis it re-subscribes after a reconnect (lettuce does it), it keeps a channel subscribed when
 * a receive is cancelled (so the next receive loses nothing; channels_redis unsubscribes), {@link
 * #flush} keeps this process's channels subscribed, and names are validated. Channels made by {@link
 * #newChannel} are {@code prefix.<client>!<uuid>} (the contract's process-local form; channels_redis
 * makes {@code asgispecific.<uuid>}); Python peers send to them like to any name.
 *
 * <p>Futures complete on lettuce's I/O threads: never block in a dependent stage.
 */
public final class RedisPubSubChannelLayer implements ChannelLayer {

  private static final Logger LOG = LoggerFactory.getLogger(RedisPubSubChannelLayer.class);

  private final String prefix;
  private final int bufferSize;
  private final RedisConnections connections;
  /** channels_redis's pub/sub serializer: no random prefix, tokens of any age (its expiry is None). */
  private final MemberCodec codec;
  private final List<PubSubShard> shards = new ArrayList<>();
  private final String clientPrefix = Options.randomHex();
  private final ConcurrentHashMap<String, SubscribedQueue> locals = new ConcurrentHashMap<>();
  /** Group channel ({@code {prefix}__group__{group}}) to the local channels in it. */
  private final ConcurrentHashMap<String, Set<String>> groups = new ConcurrentHashMap<>();

  private RedisPubSubChannelLayer(Builder b) {
    this.prefix = b.prefix;
    this.bufferSize = b.bufferSize;
    List<RedisURI> hosts = b.connection.hostsOrDefault(); // checks combinations before any thread starts
    this.codec = b.serialization.codec(-1, () -> System.currentTimeMillis() / 1000);
    this.connections = b.connection.connections("pub/sub layer");
    for (RedisURI uri : hosts) {
      shards.add(new PubSubShard(connections, uri, this::dispatch));
    }
  }

  /**
   * Starts a builder (defaults: host {@code redis://localhost:6379}, prefix {@code asgi}).
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private PubSubShard shardOf(String name) {
    return shards.get(ConsistentHash.shard(name, shards.size()));
  }

  private String groupChannel(String group) {
    return prefix + "__group__" + group;
  }

  private void dispatch(String name, byte[] payload) {
    SubscribedQueue direct = locals.get(name);
    Set<String> members = groups.get(name);
    if (direct == null && members == null) {
      return;
    }
    Message m;
    try {
      m = codec.decode(payload).message();
    } catch (RuntimeException e) {
      LOG.warn("dropped an undecodable message published to {}: {}", LogText.escape(name), e.toString());
      return;
    }
    if (direct != null) {
      direct.offer(m);
    }
    if (members != null) {
      for (String member : members) {
        SubscribedQueue q = locals.get(member);
        if (q != null) {
          q.offer(m);
        }
      }
    }
  }

  @Override
  public CompletionStage<Void> send(String channel, Message message) {
    return publish(channel, ChannelNames::requireValidChannelName, channel, message);
  }

  /** Checks {@code name}, then PUBLISHes {@code message} (msgpack or JSON, maybe encrypted) to {@code redisChannel}. */
  private CompletionStage<Void> publish(String name, Consumer<String> check, String redisChannel, Message message) {
    return connections.whenOpen(() -> {
      check.accept(name);
      Objects.requireNonNull(message, "message");
      return shardOf(redisChannel).publish(redisChannel, codec.encode(message)).thenApply(n -> null);
    });
  }

  @Override
  public CompletionStage<Message> receive(String channel) {
    return connections.whenOpen(() -> {
      ChannelNames.requireValidReceiveName(channel);
      SubscribedQueue q = locals.get(channel);
      if (q != null && q.isSubscribed()) {
        return q.poll();
      }
      SubscribedQueue lq = subscribeLocal(channel);
      CompletableFuture<Message> f = new CompletableFuture<>();
      lq.subscribed.whenComplete((v, e) -> {
        if (e != null) {
          locals.remove(channel, lq);
          f.completeExceptionally(e);
        } else if (!f.isDone()) {
          CompletableFuture<Message> p = lq.poll();
          p.whenComplete((m, x) -> {
            if (x != null) {
              f.completeExceptionally(x);
            } else {
              f.complete(m);
            }
          });
          f.whenComplete((m, x) -> {
            if (f.isCancelled()) {
              p.cancel(false);
            }
          });
        }
      });
      return f;
    });
  }

  private SubscribedQueue subscribeLocal(String channel) {
    SubscribedQueue created = new SubscribedQueue(bufferSize);
    SubscribedQueue q = locals.putIfAbsent(channel, created);
    if (q != null) {
      return q;
    }
    shardOf(channel).subscribe(channel).whenComplete((v, e) -> {
      if (e != null) {
        locals.remove(channel, created);
        created.subscribed.completeExceptionally(e);
      } else {
        created.subscribed.complete(null);
      }
    });
    return created;
  }

  @Override
  public CompletionStage<String> newChannel(String channelPrefix) {
    return connections.whenOpen(() -> {
      String name = Options.newChannelName(channelPrefix, clientPrefix);
      return subscribeLocal(name).subscribed.thenApply(v -> name);
    });
  }

  @Override
  public CompletionStage<Void> groupAdd(String group, String channel) {
    return connections.whenOpen(() -> {
      Options.requireGroupAndChannel(group, channel);
      String gc = groupChannel(group);
      SubscribedQueue q = locals.get(channel);
      if (q == null) {
        q = subscribeLocal(channel);
      }
      groups.computeIfAbsent(gc, k -> ConcurrentHashMap.newKeySet()).add(channel);
      return CompletableFuture.allOf(q.subscribed, shardOf(gc).subscribe(gc));
    });
  }

  @Override
  public CompletionStage<Void> groupDiscard(String group, String channel) {
    return connections.whenOpen(() -> {
      Options.requireGroupAndChannel(group, channel);
      String gc = groupChannel(group);
      boolean[] emptied = {false};
      groups.computeIfPresent(gc, (k, members) -> {
        members.remove(channel);
        emptied[0] = members.isEmpty();
        return members.isEmpty() ? null : members;
      });
      return emptied[0] ? shardOf(gc).unsubscribe(gc) : CompletableFuture.completedFuture(null);
    });
  }

  @Override
  public CompletionStage<Void> groupSend(String group, Message message) {
    return publish(group, ChannelNames::requireValidGroupName, groupChannel(group), message);
  }

  /** Drops queued messages and group memberships (unsubscribing the groups); local channels stay subscribed. */
  @Override
  public CompletionStage<Void> flush() {
    // a message published before the flush may still be on its way to this process: wait for it, then drop it
    return connections.whenOpen(() -> Stages.allOf(shards.stream().map(PubSubShard::caughtUp).toList()).thenCompose(v -> {
      locals.values().forEach(SubscribedQueue::clear);
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (String gc : new ArrayList<>(groups.keySet())) {
        groups.remove(gc);
        fs.add(shardOf(gc).unsubscribe(gc));
      }
      return Stages.allOf(fs);
    }));
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    return connections.closeAsync(() -> {
      ChannelLayerUnavailableException gone = new ChannelLayerUnavailableException("the pub/sub layer was closed", null);
      locals.values().forEach(q -> q.failAll(gone));
      return Stages.allOf(shards.stream().map(PubSubShard::closeSubscriber).toList());
    });
  }

  @Override
  public String toString() {
    return "RedisPubSubChannelLayer[shards=" + shards.size() + ", prefix=" + prefix + "]";
  }

  /**
   * Configures a {@link RedisPubSubChannelLayer}; setters validate at once, quoting bad values. As in
   * channels_redis's pub/sub layer, there is no random prefix, and encrypted messages are accepted at
   * any age.
   */
  public static final class Builder extends RedisLayerBuilder<Builder> {
    private String prefix = "asgi";
    private int bufferSize = Integer.MAX_VALUE;

    private Builder() {
      super(0); // channels_redis's pub/sub layer writes no random prefix
    }

    /**
     * How many unreceived messages a local channel buffers before the oldest is dropped (default
     * unbounded, like channels_redis's pub/sub queues; set it to bound memory for slow readers).
     *
     * @param size how many unreceived messages a local channel buffers before the oldest is dropped
     * @return this builder
     */
    public Builder bufferSize(int size) {
      this.bufferSize = Options.atLeastOne(size, "bufferSize");
      return this;
    }

    /**
     * The prefix of group channel names, {@code {prefix}__group__{group}} (default {@code asgi}).
     *
     * @param prefix the prefix of group channel names, {@code {prefix}__group__{group}}
     * @return this builder
     */
    public Builder prefix(String prefix) {
      if (prefix == null) {
        throw new IllegalArgumentException("the prefix must not be null: 'null'");
      }
      this.prefix = prefix;
      return this;
    }

    /**
     * Builds the layer; connections open on first use.
     *
     * @return the redis pub sub channel layer
     */
    public RedisPubSubChannelLayer build() {
      return new RedisPubSubChannelLayer(this);
    }
  }
}
