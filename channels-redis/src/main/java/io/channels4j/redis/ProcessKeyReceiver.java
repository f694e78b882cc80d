package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.layers.ChannelNames;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScoredValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives this layer's process-local ({@code !}) channels. Every channel made by one layer with one
 * prefix shares a process key ({@code prefix + "specific.<client prefix>!"}); one receive loop per
 * process key and shard (a BZPOPMIN on a dedicated connection, then ZPOPMIN batches while a backlog
 * lasts) runs while anyone waits and demultiplexes by {@code __asgi_channel__} into bounded
 * per-channel buffers (the oldest is dropped when a buffer holds {@code capacity}; expired messages
 * are dropped on read and swept).
 */
final class ProcessKeyReceiver {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessKeyReceiver.class);

  private final RedisConnections connections;
  private final KeyLayout keys;
  private final Scores scores;
  private final MemberCodec codec;
  private final LivenessMarks liveness;
  private final String clientPrefix;
  private final int capacity;
  private final long expirySeconds;
  private final int drainBatch;
  private final ConcurrentHashMap<String, LocalBuffer> buffers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ProcessKey> processKeys = new ConcurrentHashMap<>();
  private volatile long lastSweepNanos = System.nanoTime();

  ProcessKeyReceiver(RedisConnections connections, KeyLayout keys, Scores scores, MemberCodec codec,
      LivenessMarks liveness, String clientPrefix, int capacity, long expirySeconds) {
    this.connections = connections;
    this.keys = keys;
    this.scores = scores;
    this.codec = codec;
    this.liveness = liveness;
    this.clientPrefix = clientPrefix;
    this.capacity = capacity;
    this.expirySeconds = expirySeconds;
    this.drainBatch = Math.max(1, Math.min(64, capacity));
  }

  /** Whether {@code channel} was made by this layer's {@code newChannel} (its client prefix before the '!'). */
  boolean isOwn(String channel) {
    int bang = channel.indexOf('!');
    int start = bang - clientPrefix.length();
    return bang >= 0 && start >= 0 && channel.startsWith(clientPrefix, start) && (start == 0 || channel.charAt(start - 1) == '.');
  }

  /** A delivered message with its score, waiting in a local buffer. */
  private record Entry(Message message, double score) {}

  /** The messages and receivers of one process-local channel; bounded, dropping the oldest when full. */
  private static final class LocalBuffer {
    final ArrayDeque<Entry> items = new ArrayDeque<>();
    final ArrayDeque<CompletableFuture<Message>> waiters = new ArrayDeque<>();
    boolean removed;
    /** The channel's process key, looked up once per buffer. */
    ProcessKey processKey;
  }

  /** The next message of {@code channel}, one of this layer's own. */
  CompletableFuture<Message> receive(String channel) {
    if (!isOwn(channel)) {
      throw new IllegalArgumentException("this layer can only receive process-local channels made by its own"
          + " newChannel (client prefix " + clientPrefix + "): '" + channel + "'");
    }
    maybeSweep();
    CompletableFuture<Message> f = new CompletableFuture<>();
    while (true) {
      LocalBuffer b = buffers.computeIfAbsent(channel, k -> new LocalBuffer());
      synchronized (b) {
        if (b.removed) {
          continue;
        }
        Entry e;
        while ((e = b.items.poll()) != null && scores.expired(e.score())) {
          // drop expired messages
        }
        // An emptied buffer stays (with its process key) for the next receive; maybeSweep drops idle ones.
        if (e != null) {
          f.complete(e.message());
          return f;
        }
        b.waiters.add(f);
        if (b.processKey == null) {
          b.processKey = processKeys.computeIfAbsent(ChannelNames.nonLocalName(channel), ProcessKey::new);
        }
      }
      ProcessKey pk = b.processKey;
      pk.waiters.incrementAndGet();
      f.whenComplete((m, ex) -> {
        pk.waiters.decrementAndGet();
        if (ex != null) {
          synchronized (b) {
            b.waiters.remove(f);
          }
        }
      });
      for (ProcessLoop loop : pk.loops) {
        loop.kick();
      }
      return f;
    }
  }

  private void deliver(String channel, Entry entry) {
    while (true) {
      LocalBuffer b = buffers.computeIfAbsent(channel, k -> new LocalBuffer());
      CompletableFuture<Message> w;
      synchronized (b) {
        if (b.removed) {
          continue;
        }
        w = b.waiters.poll();
        if (w == null) {
          b.items.add(entry);
          if (b.items.size() > capacity) {
            b.items.poll();
            LOG.debug("local buffer of {} is full ({}): dropped its oldest message", channel, capacity);
          }
          return;
        }
      }
      if (w.complete(entry.message())) {
        return;
      }
    }
  }

  /** Drops expired messages from buffers nobody reads (channels_redis#212), at most every expiry/2. */
  private void maybeSweep() {
    long now = System.nanoTime();
    if (now - lastSweepNanos < TimeUnit.SECONDS.toNanos(Math.max(1, expirySeconds / 2))) {
      return;
    }
    lastSweepNanos = now;
    buffers.entrySet().removeIf(e -> {
      LocalBuffer b = e.getValue();
      synchronized (b) {
        b.items.removeIf(x -> scores.expired(x.score()));
        if (b.items.isEmpty() && b.waiters.isEmpty() && !b.removed) {
          b.removed = true;
          return true;
        }
        return false;
      }
    });
  }

  private void dispatch(ScoredValue<byte[]> popped) {
    MemberCodec.Decoded d;
    try {
      d = codec.decode(popped.getValue());
    } catch (RuntimeException e) {
      LOG.warn("dropped an undecodable message from this layer's process key: {}", e.toString());
      return;
    }
    if (scores.expired(popped.getScore())) {
      LOG.debug("dropped an expired message for {}", d.channels());
      return;
    }
    Entry entry = new Entry(d.message(), popped.getScore());
    if (d.channels() instanceof String channel) {
      deliver(channel, entry);
    } else if (d.channels() instanceof List<?> channels) {
      for (Object c : channels) {
        if (c instanceof String channel) {
          deliver(channel, entry);
        }
      }
    } else {
      LOG.warn("dropped a message on this layer's process key without a valid {}", MemberCodec.ASGI_CHANNEL);
    }
  }

  /** Drops every buffered message (flush). */
  void clear() {
    for (LocalBuffer b : buffers.values()) {
      synchronized (b) {
        b.items.clear();
      }
    }
  }

  /** Fails every waiting receive (close). */
  void failAll(Throwable t) {
    List<CompletableFuture<Message>> ws = new ArrayList<>();
    for (LocalBuffer b : buffers.values()) {
      synchronized (b) {
        ws.addAll(b.waiters);
        b.waiters.clear();
      }
    }
    ws.forEach(w -> w.completeExceptionally(t));
  }

  /** One process key with its receive loops, one per shard. */
  private final class ProcessKey {
    final String nonLocal;
    final AtomicInteger waiters = new AtomicInteger();
    final ProcessLoop[] loops;

    ProcessKey(String nonLocal) {
      this.nonLocal = nonLocal;
      List<Shard> shards = connections.shards();
      this.loops = new ProcessLoop[shards.size()];
      for (int i = 0; i < loops.length; i++) {
        loops[i] = new ProcessLoop(shards.get(i), this);
      }
    }
  }

  /**
   * The receive loop of one process key on one shard: BZPOPMIN on a dedicated connection while anyone
   * waits; each round also refreshes the process key's liveness mark when due.
   */
  private final class ProcessLoop {
    private final Shard shard;
    private final String nonLocal;
    private final byte[] key;
    private final AtomicInteger waiters;
    private boolean running;
    private Shard.Blocking connection;
    private boolean failing;

    ProcessLoop(Shard shard, ProcessKey processKey) {
      this.shard = shard;
      this.nonLocal = processKey.nonLocal;
      this.key = keys.channel(nonLocal);
      this.waiters = processKey.waiters;
    }

    void kick() {
      synchronized (this) {
        if (running || !wanted()) {
          return;
        }
        running = true;
      }
      iterate();
    }

    private void iterate() {
      liveness.touch(nonLocal);
      CompletableFuture<Shard.Blocking> conn;
      synchronized (this) {
        conn = connection != null ? CompletableFuture.completedFuture(connection) : shard.acquireBlocking();
      }
      conn.thenCompose(c -> {
        synchronized (this) {
          connection = c;
        }
        return c.commands().bzpopmin(RedisConnections.BLOCK_SECONDS, key).toCompletableFuture();
      }).whenComplete((KeyValue<byte[], ScoredValue<byte[]>> kv, Throwable e) -> {
        if (e != null) {
          failed(e);
          return;
        }
        failing = false;
        if (kv != null && kv.hasValue()) {
          dispatch(kv.getValue());
          if (wanted()) {
            drain();
            return;
          }
        }
        next();
      });
    }

    /**
     * While receivers still wait after a pop, takes up to {@code drainBatch} more queued messages in
     * one non-blocking ZPOPMIN, so a backlog costs one round trip per batch instead of per message.
     */
    private void drain() {
      Shard.Blocking c;
      synchronized (this) {
        c = connection;
      }
      c.commands().zpopmin(key, drainBatch).toCompletableFuture().whenComplete((List<ScoredValue<byte[]>> popped, Throwable e) -> {
        if (e != null) {
          failed(e);
          return;
        }
        popped.forEach(ProcessKeyReceiver.this::dispatch);
        if (popped.size() == drainBatch && wanted()) {
          drain();
        } else {
          next();
        }
      });
    }

    private boolean wanted() {
      return !connections.closed() && waiters.get() > 0;
    }

    private void failed(Throwable e) {
      if (!connections.closed() && !failing) {
        failing = true;
        LOG.debug("receive loop on {} failed, retrying: {}", shard.description(), e.toString());
      }
      synchronized (this) {
        if (connections.closed()) {
          running = false;
          return;
        }
      }
      connections.retryLater(this::iterate);
    }

    /** Blocks again while anyone waits; otherwise stops and gives the connection back. */
    private void next() {
      synchronized (this) {
        if (!wanted()) {
          running = false;
          if (connection != null) {
            shard.release(connection);
            connection = null;
          }
          return;
        }
      }
      iterate();
    }
  }
}
