package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelNames;
import io.lettuce.core.Range;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
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
 * Both skip the keys of processes that are gone ({@link LivenessMarks}) and remove their members from
 * the group; full keys are logged through {@link OverCapacityLog}.
 */
final class GroupSender {

  private static final Logger LOG = LoggerFactory.getLogger(GroupSender.class);
  private static final long WRITTEN = 0;
  private static final long FULL = 1;
  private static final long GONE = 2;

  private final Settings settings;
  private final RedisConnections connections;
  private final KeyLayout keys;
  private final Scores scores;
  private final MemberCodec codec;
  private final OverCapacityLog overCapacity = new OverCapacityLog();
  /** Whether group sends use {@link Scripts#GROUP_SEND_LOCAL} (one server, plain msgpack, one capacity). */
  private final boolean oneScript;

  GroupSender(Settings settings, RedisConnections connections, KeyLayout keys, Scores scores, MemberCodec codec) {
    this.settings = settings;
    this.connections = connections;
    this.keys = keys;
    this.scores = scores;
    this.codec = codec;
    this.oneScript = settings.cluster() == null && connections.shards().size() == 1 && codec.plainMsgPack()
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
    }).thenCompose(members -> deliver(group, groupShard, key, message, members, score));
  }

  /** The group send of {@link Scripts#GROUP_SEND_LOCAL}: one EVALSHA, the member list never leaves Redis. */
  private CompletableFuture<Void> sendInOneScript(String group, Shard shard, byte[] key, Message message, double score) {
    // The member up to the channel list: encode with an empty list, then drop its header byte (0x90).
    byte[] full = codec.encodeFor(List.of(), message);
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
          logGone(group, (Long) r.get(1));
          overCapacity.report(group, (Long) r.get(0),
              r.subList(2, r.size()).stream().map(k -> keys.nonLocalOf((byte[]) k)).toList());
          return null;
        });
  }

  /**
   * Records {@code message} in its group's history and sends it with its id in {@link
   * ChannelLayer#HISTORY_ID}, both in one EVALSHA of {@link Scripts#GROUP_SEND_LOCAL_RECORDED}; completes
   * with the id. Returns null where that script does not apply (see {@link #oneScript}, or the message
   * already has a {@code history_id}, which the id replaces in place): the caller then records, then sends.
   */
  CompletableFuture<Long> sendRecorded(String group, Message message, GroupHistoryStore.Recording recording) {
    if (!oneScript || message.has(ChannelLayer.HISTORY_ID)) {
      return null;
    }
    double score = scores.next();
    // The member with an empty id and no channels ends: 0xa0 (""), "__asgi_channel__" (17 bytes), 0x90 ([]).
    byte[] full = codec.encodeFor(List.of(), message.with(ChannelLayer.HISTORY_ID, ""));
    int id = full.length - 2 - ASGI_CHANNEL_KEY_LENGTH;
    if (full[id] != (byte) 0xa0 || full[full.length - 1] != (byte) 0x90) {
      throw new IllegalStateException(String.format("group '%s': a member of %d bytes has 0x%02x at the history id "
          + "(expected 0xa0) and ends 0x%02x (expected 0x90)", group, full.length, full[id], full[full.length - 1]));
    }
    byte[][] args = {
        Arrays.copyOf(full, id),
        Scores.arg(score),
        Scores.arg(Scores.purgeBefore(score, settings.groupExpirySeconds())),
        Scores.arg(Scores.purgeBefore(score, settings.expirySeconds())),
        Scores.arg(settings.defaultCapacity()),
        Scores.arg(settings.expirySeconds()),
        KeyLayout.bytes(settings.prefix()),
        Arrays.copyOfRange(full, id + 1, full.length - 1),
        recording.args()[0], recording.args()[1], recording.args()[2], recording.args()[3], recording.args()[4]};
    byte[][] k = {keys.group(group), recording.keys()[0], recording.keys()[1]};
    return RedisConnections.onShard(connections.shardOf(group),
        redis -> Scripts.GROUP_SEND_LOCAL_RECORDED.<List<Object>>run(redis, k, args)).thenApply(r -> {
          logGone(group, (Long) r.get(2));
          overCapacity.report(group, (Long) r.get(1),
              r.subList(3, r.size()).stream().map(x -> keys.nonLocalOf((byte[]) x)).toList());
          return (Long) r.get(0);
        });
  }

  /** The msgpack form of the key {@code "__asgi_channel__"}: a fixstr header and 16 bytes. */
  private static final int ASGI_CHANNEL_KEY_LENGTH = 1 + MemberCodec.ASGI_CHANNEL.length();

  private static void logGone(String group, long purged) {
    if (purged > 0) {
      LOG.info("removed {} members of processes that are gone (no liveness mark) from group {}", purged, group);
    }
  }

  /** One Redis key's share of a group send: its channels, the member written for them, its capacity. */
  private record Batch(String nonLocal, List<String> channels, byte[] member, int capacity) {}

  private CompletableFuture<Void> deliver(
      String group, Shard groupShard, byte[] groupKey, Message message, List<byte[]> members, double score) {
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
        .add(new Batch(nonLocal, channels, codec.encodeFor(channels, message), settings.capacityOf(channels.get(0)))));
    List<List<Batch>> shardBatches = new ArrayList<>(byShard.values());
    List<CompletableFuture<List<Long>>> statuses = new ArrayList<>();
    byShard.forEach((shard, batches) -> statuses.add(sendToShard(connections.shards().get(shard), batches, score)));
    return Stages.allOf(statuses).thenCompose(v -> {
      List<Batch> full = new ArrayList<>();
      List<String> goneChannels = new ArrayList<>();
      for (int i = 0; i < statuses.size(); i++) {
        full.addAll(having(shardBatches.get(i), statuses.get(i).join(), FULL));
        having(shardBatches.get(i), statuses.get(i).join(), GONE).forEach(b -> goneChannels.addAll(b.channels()));
      }
      overCapacity.report(group, members.size(), full.stream().map(Batch::nonLocal).toList());
      if (goneChannels.isEmpty()) {
        return CompletableFuture.completedFuture(null);
      }
      logGone(group, goneChannels.size());
      byte[][] names = goneChannels.stream().map(KeyLayout::bytes).toArray(byte[][]::new);
      return RedisConnections.onShard(groupShard, redis -> redis.zrem(groupKey, names)).thenApply(n -> null);
    });
  }

  private static List<Batch> having(List<Batch> batches, List<Long> statuses, long status) {
    List<Batch> out = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      if (statuses.get(i).longValue() == status) {
        out.add(batches.get(i));
      }
    }
    return out;
  }

  /**
   * Purges every batch's key, then runs the group-send script once per slot (once on a standalone
   * shard); returns each batch's status ({@code WRITTEN}, {@code FULL}, {@code GONE}), in order.
   */
  private CompletableFuture<List<Long>> sendToShard(Shard shard, List<Batch> batches, double score) {
    List<List<Batch>> scriptRuns = settings.cluster() == null ? List.of(batches) : bySlot(batches);
    Range<Long> purge = Range.create(0L, Scores.purgeBefore(score, settings.expirySeconds()));
    return RedisConnections.onShard(shard, redis -> {
      List<CompletableFuture<Long>> purges = batches.stream()
          .map(b -> redis.zremrangebyscore(keys.channel(b.nonLocal()), purge).toCompletableFuture()).toList();
      Map<Batch, Long> status = new IdentityHashMap<>();
      List<CompletableFuture<Void>> runs = new ArrayList<>();
      for (List<Batch> run : scriptRuns) {
        int n = run.size();
        byte[][] runKeys = new byte[n * 3][];
        byte[][] args = new byte[n * 2 + 2][];
        for (int i = 0; i < n; i++) {
          Batch b = run.get(i);
          runKeys[i] = keys.channel(b.nonLocal());
          runKeys[n + i] = keys.watched(b.nonLocal());
          runKeys[2 * n + i] = keys.alive(b.nonLocal());
          args[i] = b.member();
          args[n + i] = Scores.arg(b.capacity());
        }
        args[args.length - 2] = Scores.arg(score);
        args[args.length - 1] = Scores.arg(settings.expirySeconds());
        runs.add(Scripts.GROUP_SEND.<List<Long>>run(redis, runKeys, args).thenAccept(s -> {
          synchronized (status) {
            for (int i = 0; i < n; i++) {
              status.put(run.get(i), s.get(i));
            }
          }
        }));
      }
      return Stages.allOf(purges).thenCombine(Stages.allOf(runs),
          (a, b) -> batches.stream().map(x -> status.getOrDefault(x, WRITTEN)).toList());
    });
  }

  private List<List<Batch>> bySlot(List<Batch> batches) {
    Map<Integer, List<Batch>> slots = new LinkedHashMap<>();
    for (Batch b : batches) {
      slots.computeIfAbsent(SlotHash.getSlot(keys.channel(b.nonLocal())), k -> new ArrayList<>()).add(b);
    }
    return new ArrayList<>(slots.values());
  }
}
