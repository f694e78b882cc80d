package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.layers.ChannelNames;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group sends of {@link RedisChannelLayer}. On a single server without encryption or per-channel
 * capacities, one EVALSHA of {@link Scripts#GROUP_SEND_LOCAL} purges and reads the group and writes one
 * member per process key, all inside Redis. Otherwise: purge and read the group, encode one member per
 * Redis key, then per shard (per slot in a cluster) pipeline the purges and {@link Scripts#GROUP_SEND}.
 */
final class GroupSender {

  private static final Logger LOG = LoggerFactory.getLogger(GroupSender.class);

  private final Settings settings;
  private final RedisConnections connections;
  private final KeyLayout keys;
  private final Scores scores;
  private final MemberCodec codec;
  /** Whether group sends use {@link Scripts#GROUP_SEND_LOCAL} (one server, no encryption, one capacity). */
  private final boolean oneScript;

  GroupSender(Settings settings, RedisConnections connections, KeyLayout keys, Scores scores, MemberCodec codec) {
    this.settings = settings;
    this.connections = connections;
    this.keys = keys;
    this.scores = scores;
    this.codec = codec;
    this.oneScript = settings.cluster() == null && connections.shards().size() == 1 && !codec.encrypted()
        && settings.capacities().uniform();
  }

  /** Sends {@code message} to every member of {@code group} (already validated). */
  CompletableFuture<Void> send(String group, Message message) {
    Shard groupShard = connections.shardOf(group);
    byte[] key = keys.group(group);
    double score = scores.next();
    if (oneScript) {
      return sendInOneScript(group, groupShard, key, message, score);
    }
    return RedisConnections.onShard(groupShard, redis -> {
      redis.zremrangebyscore(key, Range.create(0L, Scores.purgeBefore(score, settings.groupExpirySeconds())));
      return redis.zrange(key, 0, -1);
    }).thenCompose(members -> deliver(group, message, members, score));
  }

  /** The group send of {@link Scripts#GROUP_SEND_LOCAL}: one EVALSHA, the member list never leaves Redis. */
  private CompletableFuture<Void> sendInOneScript(String group, Shard shard, byte[] key, Message message, double score) {
    // The member up to the channel list: encode with an empty list, then drop its header byte (0x90).
    byte[] full = codec.encodeFor(List.of(), message, score);
    byte[] head = Arrays.copyOf(full, full.length - 1);
    byte[][] args = {
        head,
        Scores.arg(score),
        Scores.arg(Scores.purgeBefore(score, settings.groupExpirySeconds())),
        Scores.arg(Scores.purgeBefore(score, settings.expirySeconds())),
        Scores.arg(settings.defaultCapacity()),
        Scores.arg(settings.expirySeconds()),
        KeyLayout.bytes(settings.prefix())};
    return RedisConnections.onShard(shard, redis -> Scripts.GROUP_SEND_LOCAL.<List<Object>>run(redis, new byte[][] {key}, args))
        .thenApply(r -> {
          logOverCapacity(group, (Long) r.get(1), (Long) r.get(0));
          return null;
        });
  }

  private static void logOverCapacity(String group, long over, long members) {
    if (over > 0) {
      LOG.info("{} of {} channels over capacity in group {}", over, members, group);
    }
  }

  /** One Redis key's share of a group send: the member written for its channels, and its capacity. */
  private record Batch(byte[] key, byte[] member, int capacity) {}

  private CompletableFuture<Void> deliver(String group, Message message, List<byte[]> members, double score) {
    if (members.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    for (byte[] m : members) {
      String channel = new String(m, StandardCharsets.UTF_8);
      byKey.computeIfAbsent(ChannelNames.nonLocalName(channel), k -> new ArrayList<>(2)).add(channel);
    }
    Map<Integer, List<Batch>> byShard = new LinkedHashMap<>();
    byKey.forEach((nonLocal, channels) -> byShard
        .computeIfAbsent(ConsistentHash.shard(nonLocal, connections.shards().size()), k -> new ArrayList<>())
        .add(new Batch(keys.channel(nonLocal), codec.encodeFor(channels, message, score), settings.capacityOf(channels.get(0)))));
    List<CompletableFuture<Long>> results = new ArrayList<>();
    byShard.forEach((shard, batches) -> results.add(sendToShard(connections.shards().get(shard), batches, score)));
    return Stages.allOf(results).thenApply(v -> {
      logOverCapacity(group, results.stream().mapToLong(CompletableFuture::join).sum(), members.size());
      return null;
    });
  }

  /** Purges every batch's key, then runs the group-send script once per slot (once on a standalone shard). */
  private CompletableFuture<Long> sendToShard(Shard shard, List<Batch> batches, double score) {
    List<List<Batch>> scriptRuns = settings.cluster() == null ? List.of(batches) : bySlot(batches);
    Range<Long> purge = Range.create(0L, Scores.purgeBefore(score, settings.expirySeconds()));
    return RedisConnections.onShard(shard, redis -> {
      List<CompletableFuture<Long>> purges = batches.stream()
          .map(b -> redis.zremrangebyscore(b.key(), purge).toCompletableFuture()).toList();
      CompletableFuture<Long> over = CompletableFuture.completedFuture(0L);
      for (List<Batch> run : scriptRuns) {
        byte[][] runKeys = new byte[run.size()][];
        byte[][] args = new byte[run.size() * 2 + 2][];
        for (int i = 0; i < run.size(); i++) {
          runKeys[i] = run.get(i).key();
          args[i] = run.get(i).member();
          args[run.size() + i] = Scores.arg(run.get(i).capacity());
        }
        args[args.length - 2] = Scores.arg(score);
        args[args.length - 1] = Scores.arg(settings.expirySeconds());
        over = over.thenCombine(Scripts.GROUP_SEND.<Long>run(redis, runKeys, args), Long::sum);
      }
      return Stages.allOf(purges).thenCombine(over, (v, n) -> n);
    });
  }

  private static List<List<Batch>> bySlot(List<Batch> batches) {
    Map<Integer, List<Batch>> slots = new LinkedHashMap<>();
    for (Batch b : batches) {
      slots.computeIfAbsent(SlotHash.getSlot(b.key()), k -> new ArrayList<>()).add(b);
    }
    return new ArrayList<>(slots.values());
  }
}
