package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayer.HistoryEntry;
import io.channels4j.layers.ChannelLayer.HistoryLimits;
import io.channels4j.layers.ChannelLayer.HistoryPage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The group histories of {@link RedisChannelLayer}, shared by every node: per group a stream of recorded
 * messages and a state hash (layout in {@link KeyLayout#history} and the module README), both written
 * by {@link HistoryScripts} in one step, so ids are given once across all nodes.
 */
final class GroupHistoryStore {

  private final RedisConnections connections;
  private final KeyLayout keys;
  private final MemberCodec codec;
  private final Settings settings;

  GroupHistoryStore(RedisConnections connections, KeyLayout keys, MemberCodec codec, Settings settings) {
    this.connections = connections;
    this.keys = keys;
    this.codec = codec;
    this.settings = settings;
  }

  /** The KEYS and ARGV of {@link HistoryScripts#RECORD} for one message. */
  record Recording(byte[][] keys, byte[][] args) {}

  /** What recording {@code message} in {@code group}'s history takes: the script's keys and arguments. */
  Recording recording(String group, Message message, HistoryLimits limits) {
    long now = settings.clock().millis();
    long ageMillis = limits.maxAge() == null ? 0 : limits.maxAge().toMillis();
    long ttl = Math.max(settings.groupExpirySeconds(), (ageMillis + 999) / 1000);
    return new Recording(new byte[][] {keys.history(group), keys.historyState(group)}, new byte[][] {
        codec.encodeHistory(message, now / 1000), ascii(now), ascii(limits.maxMessages()), ascii(ageMillis), ascii(ttl)});
  }

  /** Records {@code message} in {@code group}'s history and completes with its id. */
  CompletableFuture<Long> record(String group, Recording recording) {
    return RedisConnections.onShard(connections.shardOf(group),
        redis -> HistoryScripts.RECORD.<Long>run(redis, recording.keys(), recording.args()));
  }

  /** What {@code group} recorded after {@code after}, as {@link ChannelLayer#groupHistory} describes. */
  CompletableFuture<HistoryPage> read(String group, String after, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    long now = settings.clock().millis();
    long from = after == null ? 0 : HistoryPage.parseId(after);
    byte[][] k = {keys.history(group), keys.historyState(group)};
    int wanted = after == null ? 0 : max;
    return RedisConnections.onShard(connections.shardOf(group), redis -> HistoryScripts.READ.<List<Object>>run(redis, k,
        ascii(now), ascii(from), ascii(wanted))).thenApply(reply -> page(reply, after, from, now));
  }

  private HistoryPage page(List<Object> reply, String after, long from, long now) {
    long last = (Long) reply.get(0);
    long firstKept = (Long) reply.get(1);
    if (after == null) {
      return new HistoryPage(List.of(), Long.toString(last), false);
    }
    boolean unknown = from < 0 || from > last;
    List<HistoryEntry> entries = new ArrayList<>();
    for (int i = 2; i + 1 < reply.size(); i += 2) {
      String id = Long.toString((Long) reply.get(i));
      Message m = codec.decodeHistory((byte[]) reply.get(i + 1), now / 1000).with(ChannelLayer.HISTORY_ID, id);
      entries.add(new HistoryEntry(id, m));
    }
    long start = unknown ? 0 : from;
    boolean gap = unknown || firstKept > start + 1;
    String cursor = entries.isEmpty() ? Long.toString(last) : entries.get(entries.size() - 1).id();
    return new HistoryPage(entries, cursor, gap);
  }

  private static byte[] ascii(long v) {
    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
  }
}
