package io.channels4j.layers;

import io.channels4j.Message;
import io.channels4j.internal.LogText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The groups of an {@link InMemoryChannelLayer}: each group's members, group expiry, and the group send
 * loop. A membership is held twice, by its group and by its channel's {@link ChannelQueue}; lock order is
 * group, then channel. A group with no members is forgotten.
 */
final class GroupTable {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryChannelLayer.class);
  private static final long OVER_CAPACITY_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Group deliveries skipped for a full channel since the last INFO line about it, and when that was. */
  private final AtomicLong skipped = new AtomicLong();
  private final AtomicLong lastOverCapacityLog = new AtomicLong(System.nanoTime() - OVER_CAPACITY_LOG_NANOS);

  static final Member[] NO_MEMBERS = new Member[0];

  private final ConcurrentHashMap<String, Group> groups = new ConcurrentHashMap<>();
  private final Function<String, ChannelQueue> channels;
  private final long groupExpiryMillis;

  /**
   * @param channels the channel queue for a name, made if missing
   * @param groupExpiryMillis how long a membership lives after its last add
   */
  GroupTable(Function<String, ChannelQueue> channels, long groupExpiryMillis) {
    this.channels = channels;
    this.groupExpiryMillis = groupExpiryMillis;
  }

  /** Number of groups held. */
  int size() {
    return groups.size();
  }

  /** Adds {@code channel} to {@code group}, or renews its membership, as of {@code now}. */
  void add(String group, String channel, long now) {
    while (true) {
      Group grp = groups.computeIfAbsent(group, Group::new);
      synchronized (grp) {
        if (grp.removed) {
          continue;
        }
        Member existing = grp.members.get(channel);
        if (existing != null) {
          synchronized (existing.queue) {
            if (!existing.detached) {
              existing.joined = now;
              grp.snapshot = null;
              return;
            }
          }
        }
        while (true) {
          ChannelQueue ch = channels.apply(channel);
          synchronized (ch) {
            if (ch.removed) {
              continue;
            }
            Member m = new Member(grp, channel, ch, now);
            ch.join(m);
            grp.members.put(channel, m);
            grp.snapshot = null;
            return;
          }
        }
      }
    }
  }

  /** Removes {@code channel} from {@code group}, if it is a member. */
  void discard(String group, String channel) {
    Group grp = groups.get(group);
    if (grp == null) {
      return;
    }
    Member m;
    synchronized (grp) {
      m = grp.members.get(channel);
      if (m != null) {
        removeMember(grp, m);
      }
    }
    if (m != null) {
      leaveChannel(m);
    }
  }

  /** Counts skipped deliveries; at most one INFO line per 10 s says how many, naming the latest group. */
  private void overCapacity(String group, int full, int members, Message message) {
    long total = skipped.addAndGet(full);
    long now = System.nanoTime();
    long last = lastOverCapacityLog.get();
    if (now - last >= OVER_CAPACITY_LOG_NANOS && lastOverCapacityLog.compareAndSet(last, now)) {
      skipped.addAndGet(-total);
      LOG.info("groupSend skipped {} deliveries to full channels in the last {} s (latest: {} of {} channels over "
          + "capacity in group '{}', message '{}'); a consumer is not keeping up", total,
          (now - last) / 1_000_000_000L, full, members, LogText.escape(group), LogText.escape(message.type()));
    }
  }

  /**
   * Delivers {@code message} to every member of {@code group}: to a waiting receiver, else into the
   * member's queue. Full members are skipped, as Channels does (one INFO line per 10 s counts them, as
   * channels_redis logs "N of M channels over capacity"); members whose queue had expired messages
   * leave all their groups instead; memberships past the group expiry are removed.
   */
  void send(String group, Message message, long now, long expiresAt) {
    Group grp = groups.get(group);
    if (grp == null) {
      return;
    }
    Snapshot snapshot = grp.snapshot();
    long joinedCutoff = now - groupExpiryMillis;
    List<Member> lapsed = null;
    List<Member[]> kicked = null;
    ChannelQueue[] queues = snapshot.queues;
    long[] joined = snapshot.joined;
    int full = 0;
    for (int i = 0; i < queues.length; i++) {
      if (joined[i] < joinedCutoff) {
        if (lapsed == null) {
          lapsed = new ArrayList<>();
        }
        lapsed.add(snapshot.members[i]);
        continue;
      }
      ChannelQueue ch = queues[i];
      while (true) {
        PendingReceive receiver;
        synchronized (ch) {
          // A member that left since the snapshot was taken left concurrently with this send (every
          // membership change replaces the snapshot before it completes): delivering is as correct as not.
          if (ch.removed) {
            break;
          }
          if (ch.headExpired(now)) {
            Member[] k = ch.dropExpired(now);
            ch.removeIfIdle();
            if (k != null) {
              if (kicked == null) {
                kicked = new ArrayList<>();
              }
              kicked.add(k);
            }
            break;
          }
          receiver = ch.offer(message, expiresAt);
        }
        if (receiver == ChannelQueue.FULL) {
          full++;
          if (LOG.isDebugEnabled()) {
            LOG.debug("groupSend to '{}': channel '{}' is full (capacity {}), message '{}' skipped",
                group, ch.name, ch.capacity, LogText.escape(message.type()));
          }
          break;
        }
        if (receiver == null || receiver.deliver(message)) {
          break;
        }
        // the receiver was cancelled after we took it: offer the message again
      }
    }
    if (full > 0) {
      overCapacity(group, full, queues.length, message);
    }
    if (kicked != null) {
      for (Member[] k : kicked) {
        unlink(k);
      }
    }
    if (lapsed != null) {
      removeLapsed(grp, lapsed, joinedCutoff);
    }
  }

  private void removeLapsed(Group grp, List<Member> lapsed, long joinedCutoff) {
    for (Member m : lapsed) {
      boolean removed;
      synchronized (grp) {
        removed = m.joined < joinedCutoff && grp.members.get(m.channel) == m;
        if (removed) {
          removeMember(grp, m);
        }
      }
      if (removed) {
        leaveChannel(m);
      }
    }
  }

  /** Removes memberships detached from their channel (by expiry) from their groups. */
  void unlink(Member[] members) {
    for (Member m : members) {
      Group grp = m.group;
      synchronized (grp) {
        if (grp.members.get(m.channel) == m) {
          removeMember(grp, m);
        }
      }
    }
  }

  /** Forgets every group (flush and close); the channels' side is cleared by {@link ChannelQueue#clear}. */
  void clear() {
    for (Group grp : groups.values()) {
      synchronized (grp) {
        grp.members.clear();
        grp.snapshot = Snapshot.EMPTY;
        if (!grp.removed) {
          grp.removed = true;
          groups.remove(grp.name, grp);
        }
      }
    }
  }

  /** Removes {@code m} from {@code grp}, forgetting the group when it empties. Caller holds its lock. */
  private void removeMember(Group grp, Member m) {
    grp.members.remove(m.channel);
    grp.snapshot = null;
    if (grp.members.isEmpty() && !grp.removed) {
      grp.removed = true;
      grp.snapshot = Snapshot.EMPTY;
      groups.remove(grp.name, grp);
    }
  }

  /** Detaches a membership already removed from its group from its channel. */
  private static void leaveChannel(Member m) {
    ChannelQueue ch = m.queue;
    synchronized (ch) {
      ch.leave(m);
    }
  }

  /** A group: its members by channel name, and a snapshot of them rebuilt after changes. */
  static final class Group {
    final String name;
    final HashMap<String, Member> members = new HashMap<>();
    volatile Snapshot snapshot;
    boolean removed;

    Group(String name) {
      this.name = name;
    }

    /** The current snapshot, made on the first send after a change. */
    Snapshot snapshot() {
      Snapshot s = snapshot;
      if (s == null) {
        synchronized (this) {
          s = snapshot;
          if (s == null) {
            s = new Snapshot(members.values().toArray(NO_MEMBERS));
            snapshot = s;
          }
        }
      }
      return s;
    }
  }

  /** A channel's membership of a group. {@code detached} is guarded by the channel's lock. */
  static final class Member {
    final Group group;
    final String channel;
    final ChannelQueue queue;
    volatile long joined;
    boolean detached;

    Member(Group group, String channel, ChannelQueue queue, long joined) {
      this.group = group;
      this.channel = channel;
      this.queue = queue;
      this.joined = joined;
    }
  }

  /**
   * The members of a group as arrays, for a cache-friendly group send: made on the first send after a
   * change, shared by concurrent sends, never modified.
   */
  static final class Snapshot {
    static final Snapshot EMPTY = new Snapshot(NO_MEMBERS);

    final Member[] members;
    final ChannelQueue[] queues;
    final long[] joined;

    Snapshot(Member[] members) {
      this.members = members;
      this.queues = new ChannelQueue[members.length];
      this.joined = new long[members.length];
      for (int i = 0; i < members.length; i++) {
        queues[i] = members[i].queue;
        joined[i] = members[i].joined;
      }
    }
  }
}
