package io.channels4j.layers;

import io.channels4j.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel of an {@link InMemoryChannelLayer}: its queued messages (with their expiry times), its
 * waiting receivers and its group memberships. Every field is guarded by the object's own lock; callers
 * take it ({@code synchronized (queue)}) around each use and complete futures after releasing it.
 */
final class ChannelQueue {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryChannelLayer.class);
  private static final int INITIAL = 4;

  /** Returned by {@link #offer} when the channel is full and nobody waits. Never completed. */
  static final PendingReceive FULL = new PendingReceive(null);

  final String name;
  final int capacity;
  private final ConcurrentHashMap<String, ChannelQueue> registry;
  /** The oldest message and its expiry, inline: most channels hold zero or one message. */
  private Message first;
  private long firstExpires;
  /** The messages after the first, in a ring allocated when a second message queues up. */
  private Message[] rest;
  private long[] restExpires;
  private int restHead;
  /** Number of messages, the first included. */
  int size;
  private PendingReceive receiver;
  private ArrayDeque<PendingReceive> moreReceivers;
  private Map<GroupTable.Group, GroupTable.Member> groups;
  /** Set once this queue has left its registry; a caller holding it must look the channel up again. */
  boolean removed;

  ChannelQueue(String name, int capacity, ConcurrentHashMap<String, ChannelQueue> registry) {
    this.name = name;
    this.capacity = capacity;
    this.registry = registry;
  }

  /** True if the oldest message expired before {@code now}. */
  boolean headExpired(long now) {
    return size > 0 && firstExpires < now;
  }

  /**
   * Hands {@code m} to the oldest waiting receiver, returned to be completed outside the lock; or queues
   * it and returns null; or, when the channel is full, returns {@link #FULL}.
   */
  PendingReceive offer(Message m, long expiresAt) {
    PendingReceive r = pollReceiver();
    if (r != null) {
      return r;
    }
    if (size >= capacity) {
      return FULL;
    }
    add(m, expiresAt);
    return null;
  }

  private void add(Message m, long expiresAt) {
    if (size == 0) {
      first = m;
      firstExpires = expiresAt;
    } else {
      int n = size - 1;
      if (rest == null) {
        rest = new Message[INITIAL];
        restExpires = new long[INITIAL];
      } else if (n == rest.length) {
        grow();
      }
      int i = (restHead + n) & (rest.length - 1);
      rest[i] = m;
      restExpires[i] = expiresAt;
    }
    size++;
  }

  /** Takes the oldest message; the caller checked that {@link #size} is positive. */
  Message poll() {
    Message m = first;
    if (--size == 0) {
      first = null;
      restHead = 0;
      if (rest != null && rest.length > 64) {
        rest = null;
        restExpires = null;
      }
    } else {
      first = rest[restHead];
      firstExpires = restExpires[restHead];
      rest[restHead] = null;
      restHead = (restHead + 1) & (rest.length - 1);
    }
    return m;
  }

  private void grow() {
    int n = rest.length;
    Message[] nm = new Message[n * 2];
    long[] ne = new long[n * 2];
    for (int k = 0; k < n; k++) {
      int i = (restHead + k) & (n - 1);
      nm[k] = rest[i];
      ne[k] = restExpires[i];
    }
    rest = nm;
    restExpires = ne;
    restHead = 0;
  }

  /** Drops every message and every membership (flush and close); forgets the channel if idle. */
  void clear() {
    while (size > 0) {
      poll();
    }
    detachAll();
    removeIfIdle();
  }

  /**
   * Drops expired messages from the head; a channel that lost messages leaves all its groups (as in
   * Channels). Returns the memberships it lost, for {@link GroupTable#unlink}, or null.
   */
  GroupTable.Member[] dropExpired(long now) {
    int dropped = 0;
    while (headExpired(now)) {
      poll();
      dropped++;
    }
    if (dropped > 0 && LOG.isDebugEnabled()) {
      LOG.debug("channel '{}': {} message(s) expired{}", name, dropped,
          groups == null || groups.isEmpty() ? "" : "; leaving groups " + groupNames());
    }
    return detachAll();
  }

  private List<String> groupNames() {
    List<String> names = new ArrayList<>();
    for (GroupTable.Group g : groups.keySet()) {
      names.add(g.name);
    }
    return names;
  }

  /** Detaches every membership of this channel; returns them, or null if there were none. */
  private GroupTable.Member[] detachAll() {
    if (groups == null || groups.isEmpty()) {
      return null;
    }
    GroupTable.Member[] ms = groups.values().toArray(GroupTable.NO_MEMBERS);
    groups.clear();
    for (GroupTable.Member m : ms) {
      m.detached = true;
    }
    return ms;
  }

  /** Records that this channel is a member of {@code m.group}. */
  void join(GroupTable.Member m) {
    if (groups == null) {
      groups = new HashMap<>(4);
    }
    groups.put(m.group, m);
  }

  /** Forgets membership {@code m} (already removed from its group) unless it was detached already. */
  void leave(GroupTable.Member m) {
    if (!m.detached) {
      m.detached = true;
      if (groups != null && groups.get(m.group) == m) {
        groups.remove(m.group);
      }
    }
    removeIfIdle();
  }

  /** The oldest waiting receiver, taken off the channel, or null. */
  PendingReceive pollReceiver() {
    PendingReceive r = receiver;
    if (r != null) {
      receiver = moreReceivers == null ? null : moreReceivers.poll();
    }
    return r;
  }

  void addReceiver(PendingReceive r) {
    if (receiver == null) {
      receiver = r;
    } else {
      if (moreReceivers == null) {
        moreReceivers = new ArrayDeque<>(2);
      }
      moreReceivers.add(r);
    }
  }

  /** Withdraws a receiver that was cancelled or failed from outside. */
  void withdraw(PendingReceive r) {
    if (receiver == r) {
      receiver = moreReceivers == null ? null : moreReceivers.poll();
    } else if (moreReceivers != null) {
      moreReceivers.remove(r);
    }
    removeIfIdle();
  }

  void drainReceivers(List<PendingReceive> into) {
    PendingReceive r;
    while ((r = pollReceiver()) != null) {
      into.add(r);
    }
  }

  /** Forgets the channel when it holds no message, no receiver and no membership (the no-leak rule). */
  void removeIfIdle() {
    if (!removed && size == 0 && receiver == null && (groups == null || groups.isEmpty())) {
      removed = true;
      registry.remove(name, this);
    }
  }
}
