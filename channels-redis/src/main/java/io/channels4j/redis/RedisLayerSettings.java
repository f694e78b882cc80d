package io.channels4j.redis;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Maps {@code channels.layers.<alias>.*} options onto the Redis layers' builders for {@link RedisLayerFactory}.
 * A builder's error is rethrown naming the key; the builder's message quotes the value.
 */
final class RedisLayerSettings {

  static final String REDIS = "redis";
  static final String PUBSUB = "redis-pubsub";
  static final String CORE_CLASS = "channels_redis.core.RedisChannelLayer";
  static final String PUBSUB_CLASS = "channels_redis.pubsub.RedisPubSubChannelLayer";

  /**
   * channels_redis options the builders do not take yet: accepted as keys, so settings naming them read the
   * same once the builders do, but refused when set rather than ignored (an ignored TLS or encryption option
   * would quietly weaken a deployment).
   */
  static final Set<String> NOT_YET = Set.of("serializer-format", "random-prefix-length", "sentinel-password",
      "tls-cert", "tls-key", "tls-ca");

  static final Set<String> CORE_OPTIONS = with(NOT_YET, "url", "hosts", "cluster", "sentinels", "sentinel-master",
      "prefix", "capacity", "channel-capacity", "expiry", "group-expiry", "liveness-timeout", "command-timeout",
      "symmetric-encryption-keys");

  static final Set<String> PUBSUB_OPTIONS = with(with(NOT_YET, "symmetric-encryption-keys"), "url", "hosts",
      "prefix", "command-timeout", "buffer-size");

  private RedisLayerSettings() {}

  private static Set<String> with(Set<String> base, String... more) {
    Set<String> all = new HashSet<>(base);
    all.addAll(List.of(more));
    return Set.copyOf(all);
  }

  static boolean isPubSub(String backend) {
    return backend.equalsIgnoreCase(PUBSUB) || backend.equals(PUBSUB_CLASS);
  }

  static Supplier<ChannelLayer> core(ChannelLayers.Settings s) {
    refuseNotYet(s, NOT_YET);
    RedisChannelLayer.Builder b = RedisChannelLayer.builder();
    List<String> hosts = hosts(s);
    List<String> cluster = s.list("cluster");
    boolean sentinel = sentinel(s, b);
    if (!cluster.isEmpty() && (!hosts.isEmpty() || sentinel)) {
      throw new IllegalArgumentException(s.property("cluster") + " cannot be combined with url, hosts or sentinels, "
          + "got '" + s.text("cluster").orElseThrow() + "'");
    }
    hosts.forEach(h -> at(s, "hosts", () -> b.host(h)));
    if (!cluster.isEmpty()) {
      at(s, "cluster", () -> b.cluster(cluster.toArray(String[]::new)));
    }
    s.text("prefix").ifPresent(p -> at(s, "prefix", () -> b.prefix(p)));
    s.positiveInt("capacity").ifPresent(b::capacity);
    s.channelCapacities().forEach(b::channelCapacity);
    s.duration("expiry").ifPresent(d -> at(s, "expiry", () -> b.expiry(d)));
    s.duration("group-expiry").ifPresent(d -> at(s, "group-expiry", () -> b.groupExpiry(d)));
    s.duration("liveness-timeout").ifPresent(d -> at(s, "liveness-timeout", () -> b.livenessTimeout(d)));
    s.duration("command-timeout").ifPresent(d -> at(s, "command-timeout", () -> b.commandTimeout(d)));
    List<String> keys = s.list("symmetric-encryption-keys");
    if (!keys.isEmpty()) {
      b.symmetricEncryptionKeys(keys.toArray(String[]::new));
    }
    return b::build;
  }

  static Supplier<ChannelLayer> pubSub(ChannelLayers.Settings s) {
    refuseNotYet(s, with(NOT_YET, "symmetric-encryption-keys"));
    RedisPubSubChannelLayer.Builder b = RedisPubSubChannelLayer.builder();
    hosts(s).forEach(h -> at(s, "hosts", () -> b.host(h)));
    s.text("prefix").ifPresent(p -> at(s, "prefix", () -> b.prefix(p)));
    s.duration("command-timeout").ifPresent(d -> at(s, "command-timeout", () -> b.commandTimeout(d)));
    s.positiveInt("buffer-size").ifPresent(b::bufferSize);
    return b::build;
  }

  /** {@code url} then {@code hosts}; {@code sentinel://} is read as lettuce's {@code redis-sentinel://}. */
  private static List<String> hosts(ChannelLayers.Settings s) {
    List<String> hosts = new ArrayList<>();
    s.text("url").ifPresent(hosts::add);
    hosts.addAll(s.list("hosts"));
    hosts.replaceAll(h -> h.toLowerCase(Locale.ROOT).startsWith("sentinel://") ? "redis-" + h : h);
    return hosts;
  }

  /** {@code sentinel-master} with {@code sentinels}: one Sentinel-managed shard; returns whether given. */
  private static boolean sentinel(ChannelLayers.Settings s, RedisChannelLayer.Builder b) {
    String master = s.text("sentinel-master").orElse(null);
    List<String> sentinels = s.list("sentinels");
    if (master == null && sentinels.isEmpty()) {
      return false;
    }
    if (master == null || sentinels.isEmpty()) {
      String missing = master == null ? "sentinel-master" : "sentinels";
      throw new IllegalArgumentException(s.property(missing) + " is needed with " + s.property(master == null
          ? "sentinels" : "sentinel-master") + ", got '" + s.text(master == null ? "sentinels" : "sentinel-master")
          .orElseThrow() + "'");
    }
    at(s, "sentinels", () -> b.sentinel(master, sentinels.toArray(String[]::new)));
    return true;
  }

  private static void refuseNotYet(ChannelLayers.Settings s, Set<String> notYet) {
    for (String name : s.names()) {
      if (notYet.contains(name)) {
        throw new IllegalArgumentException(s.property(name) + " is a channels_redis option this version of "
            + "channels-redis does not support yet, got '" + s.text(name).orElseThrow() + "'");
      }
    }
  }

  private static void at(ChannelLayers.Settings s, String option, Runnable apply) {
    try {
      apply.run();
    } catch (IllegalArgumentException e) {
      // no cause: the root cause a framework reports first is then this message, which names the key
      throw new IllegalArgumentException(s.property(option) + " is not valid: " + e.getMessage());
    }
  }
}
