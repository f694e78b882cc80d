package io.channels4j.layers;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer.HistoryEntry;
import io.channels4j.layers.ChannelLayer.HistoryLimits;
import io.channels4j.layers.ChannelLayer.HistoryPage;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The group histories of {@link InMemoryChannelLayer}: per group, the last id given and the recorded
 * messages still within the group's {@link HistoryLimits}. Each group's history is guarded by its own
 * lock, so recording and group delivery of one group happen in id order.
 */
final class GroupHistories {

  private final Clock clock;
  private final Map<String, History> groups = new ConcurrentHashMap<>();

  GroupHistories(Clock clock) {
    this.clock = clock;
  }

  /** Something to run with the recorded message while the group's lock is held (the group send). */
  interface Delivery {
    void deliver(Message recorded);
  }

  /** Records {@code message}, delivers it under the group's lock (so ids reach members in order), returns its id. */
  String record(String group, Message message, HistoryLimits limits, Delivery delivery) {
    History h = groups.computeIfAbsent(group, g -> new History());
    synchronized (h) {
      long now = clock.millis();
      h.limits = limits;
      long id = ++h.lastId;
      Message recorded = message.with(ChannelLayer.HISTORY_ID, Long.toString(id));
      h.entries.addLast(new Stamped(id, now, recorded));
      h.trim(now);
      delivery.deliver(recorded);
      return Long.toString(id);
    }
  }

  HistoryPage read(String group, String after, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be at least 1, got " + max);
    }
    History h = groups.get(group);
    if (h == null) {
      return new HistoryPage(List.of(), "0", after != null && HistoryPage.parseId(after) != 0);
    }
    synchronized (h) {
      h.trim(clock.millis());
      if (after == null) {
        return new HistoryPage(List.of(), Long.toString(h.lastId), false);
      }
      long from = HistoryPage.parseId(after);
      boolean unknown = from < 0 || from > h.lastId;
      long start = unknown ? 0 : from;
      List<HistoryEntry> out = new ArrayList<>();
      long firstKept = h.entries.isEmpty() ? h.lastId + 1 : h.entries.peekFirst().id();
      for (Stamped s : h.entries) {
        if (s.id() > start && out.size() < max) {
          out.add(new HistoryEntry(Long.toString(s.id()), s.message()));
        }
      }
      boolean gap = unknown || firstKept > start + 1;
      String cursor = out.isEmpty() ? Long.toString(h.lastId) : out.get(out.size() - 1).id();
      return new HistoryPage(out, cursor, gap);
    }
  }

  void clear() {
    groups.clear();
  }

  private record Stamped(long id, long at, Message message) {}

  private static final class History {
    final ArrayDeque<Stamped> entries = new ArrayDeque<>();
    HistoryLimits limits = HistoryLimits.lastMessages(1);
    long lastId;

    void trim(long now) {
      while (entries.size() > limits.maxMessages()) {
        entries.removeFirst();
      }
      if (limits.maxAge() != null) {
        long oldest = now - limits.maxAge().toMillis();
        while (!entries.isEmpty() && entries.peekFirst().at() < oldest) {
          entries.removeFirst();
        }
      }
    }
  }
}
