package io.channels4j.redis;

import java.nio.charset.StandardCharsets;

/**
 * Where things live in Redis. Standalone (channels_redis's layout): a channel's messages in the sorted
 * set {@code {prefix}{non-local name}}, its in-flight backups in {@code …$inflight}, a group in {@code
 * {prefix}:group:{group}}. Cluster mode wraps the name in a hash tag ({@code asgi{name}}, {@code
 * asgi:group:{group}}) so the keys a script touches share a slot. Beyond channels_redis, a process
 * key of this layer has two liveness keys: {@code {prefix}:watched:{process key}} (this process keeps
 * liveness marks; TTL the group expiry) and {@code {prefix}:alive:{process key}} (refreshed; TTL the
 * liveness timeout).
 */
record KeyLayout(String prefix, boolean cluster) {

  /** The sorted set of a channel, by its non-local name (a process key ends with '!'). */
  byte[] channel(String nonLocal) {
    return bytes(cluster ? prefix + "{" + nonLocal + "}" : prefix + nonLocal);
  }

  /** The in-flight backup of a normal channel (channels_redis's cleanup reads it). */
  byte[] inflight(String name) {
    return channel(name + "$inflight");
  }

  /** The sorted set of a group's members (channel names scored by their groupAdd time). */
  byte[] group(String group) {
    return bytes(cluster ? prefix + ":group:{" + group + "}" : prefix + ":group:" + group);
  }

  /** A group's history: a stream of entries {@code <id>-0 => {t: <ms>, m: <message>}}. */
  byte[] history(String group) {
    return bytes(cluster ? prefix + ":history:{" + group + "}" : prefix + ":history:" + group);
  }

  /** A group's history state: a hash {@code {last: <last id given>, age: <max age ms, 0 for none>}}. */
  byte[] historyState(String group) {
    return bytes(cluster ? prefix + ":history-state:{" + group + "}" : prefix + ":history-state:" + group);
  }

  /** Present while the process behind {@code nonLocal} refreshes its liveness mark. */
  byte[] alive(String nonLocal) {
    return bytes(prefix + ":alive:" + (cluster ? "{" + nonLocal + "}" : nonLocal));
  }

  /** Present once the process behind {@code nonLocal} keeps liveness marks (Python processes never do). */
  byte[] watched(String nonLocal) {
    return bytes(prefix + ":watched:" + (cluster ? "{" + nonLocal + "}" : nonLocal));
  }

  /** The non-local channel name in a channel key (the inverse of {@link #channel}). */
  String nonLocalOf(byte[] channelKey) {
    String k = new String(channelKey, StandardCharsets.UTF_8).substring(prefix.length());
    return cluster ? k.substring(1, k.length() - 1) : k;
  }

  /** A glob matching every key of this layout, for flush. */
  String everything() {
    return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
