package io.channels4j.redis;

import io.channels4j.internal.LogText;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import java.nio.file.Path;
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

  /** Options both layers take (channels_redis's names in kebab case; snake case is accepted too). */
  static final Set<String> COMMON = Set.of("url", "hosts", "sentinels", "sentinel-master", "sentinel-password",
      "sentinel-username", "master-password", "master-username", "master-database", "ssl-ca-certs", "ssl-certfile",
      "ssl-keyfile", "serializer-format", "symmetric-encryption-keys", "prefix", "command-timeout");

  static final Set<String> CORE_OPTIONS = with(COMMON, "cluster", "capacity", "channel-capacity", "expiry",
      "group-expiry", "liveness-timeout", "random-prefix-length");

  static final Set<String> PUBSUB_OPTIONS = with(COMMON, "buffer-size");

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
    RedisChannelLayer.Builder b = RedisChannelLayer.builder();
    List<String> hosts = hosts(s);
    List<String> cluster = s.list("cluster");
    boolean sentinel = common(s, b);
    if (!cluster.isEmpty() && (!hosts.isEmpty() || sentinel)) {
      throw new IllegalArgumentException(s.property("cluster") + " cannot be combined with url, hosts or sentinels, "
          + "got '" + s.text("cluster").orElseThrow() + "'");
    }
    if (!cluster.isEmpty()) {
      at(s, "cluster", () -> b.cluster(cluster.toArray(String[]::new)));
    }
    s.text("prefix").ifPresent(p -> at(s, "prefix", () -> b.prefix(p)));
    s.text("random-prefix-length").ifPresent(n -> at(s, "random-prefix-length",
        () -> b.randomPrefixLength(wholeNumber(n))));
    s.positiveInt("capacity").ifPresent(b::capacity);
    s.channelCapacities().forEach(b::channelCapacity);
    s.duration("expiry").ifPresent(d -> at(s, "expiry", () -> b.expiry(d)));
    s.duration("group-expiry").ifPresent(d -> at(s, "group-expiry", () -> b.groupExpiry(d)));
    s.duration("liveness-timeout").ifPresent(d -> at(s, "liveness-timeout", () -> b.livenessTimeout(d)));
    return b::build;
  }

  static Supplier<ChannelLayer> pubSub(ChannelLayers.Settings s) {
    RedisPubSubChannelLayer.Builder b = RedisPubSubChannelLayer.builder();
    common(s, b);
    s.text("prefix").ifPresent(p -> at(s, "prefix", () -> b.prefix(p)));
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

  /**
   * The options both builders take: hosts, Sentinel (with its passwords), TLS files, serializer, encryption and
   * command timeout. Returns whether a Sentinel shard was given.
   */
  private static boolean common(ChannelLayers.Settings s, RedisLayerBuilder<?> b) {
    hosts(s).forEach(h -> at(s, "hosts", () -> b.host(h)));
    boolean sentinel = sentinel(s, b);
    s.text("sentinel-password").ifPresent(v -> at(s, "sentinel-password", () -> b.sentinelPassword(v)));
    s.text("sentinel-username").ifPresent(v -> at(s, "sentinel-username", () -> b.sentinelUsername(v)));
    s.text("master-password").ifPresent(v -> at(s, "master-password", () -> b.masterPassword(v)));
    s.text("master-username").ifPresent(v -> at(s, "master-username", () -> b.masterUsername(v)));
    s.text("master-database").ifPresent(v -> at(s, "master-database", () -> b.masterDatabase(wholeNumber(v))));
    s.text("ssl-ca-certs").ifPresent(v -> at(s, "ssl-ca-certs", () -> b.sslCaCerts(Path.of(v))));
    s.text("ssl-certfile").ifPresent(v -> at(s, "ssl-certfile", () -> b.sslCertfile(Path.of(v))));
    s.text("ssl-keyfile").ifPresent(v -> at(s, "ssl-keyfile", () -> b.sslKeyfile(Path.of(v))));
    s.text("serializer-format").ifPresent(v -> at(s, "serializer-format", () -> b.serializerFormat(v)));
    List<String> keys = s.list("symmetric-encryption-keys");
    if (!keys.isEmpty()) {
      at(s, "symmetric-encryption-keys", () -> b.symmetricEncryptionKeys(keys.toArray(String[]::new)));
    }
    s.duration("command-timeout").ifPresent(d -> at(s, "command-timeout", () -> b.commandTimeout(d)));
    return sentinel;
  }

  /** {@code sentinel-master} with {@code sentinels}: one Sentinel-managed shard; returns whether given. */
  private static boolean sentinel(ChannelLayers.Settings s, RedisLayerBuilder<?> b) {
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

  private static int wholeNumber(String text) {
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a whole number, got '" + text + "'");
    }
  }

  private static void at(ChannelLayers.Settings s, String option, Runnable apply) {
    try {
      apply.run();
    } catch (IllegalArgumentException e) {
      // no cause: the root cause a framework reports first is then this message, which names the key
      throw new IllegalArgumentException(s.property(option) + " is not valid: "
          + LogText.withoutCredentials(e.getMessage()));
    }
  }
}
