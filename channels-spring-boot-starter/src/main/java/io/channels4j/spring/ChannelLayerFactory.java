package io.channels4j.spring;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * Builds the channel layer {@code channels.layers.<alias>.*} describes with core's reader, {@link
 * ChannelLayers.Configuration#read(Map)}: the typed properties are written back as that reader's keys, so Spring
 * and plain Java read the same options, pick the same backend (in memory without a URL or with {@code memory:},
 * Redis for a Redis URI, hosts or cluster, else {@code backend}) and fail with the same messages naming the property.
 */
final class ChannelLayerFactory {

  private ChannelLayerFactory() {}

  static ChannelLayer create(String alias, ChannelsProperties.Layer p) {
    Map<String, String> settings = p == null ? Map.of() : settings(alias, p);
    if (settings.isEmpty()) {
      settings = Map.of(property(alias, "backend"), "inmemory");
    }
    return ChannelLayers.Configuration.read(settings).get(alias).orElseThrow();
  }

  /** The properties as {@code channels.layers.<alias>.<option>} text, Spring's durations in ISO-8601. */
  static Map<String, String> settings(String alias, ChannelsProperties.Layer p) {
    Map<String, String> s = new LinkedHashMap<>();
    BiConsumer<String, Object> put = (name, value) -> {
      if (value != null) {
        s.put(property(alias, name), value instanceof Duration d ? d.toString() : value.toString());
      }
    };
    put.accept("backend", p.backend());
    put.accept("url", p.url());
    put.accept("hosts", joined(p.hosts()));
    put.accept("cluster", joined(p.cluster()));
    put.accept("prefix", p.prefix());
    put.accept("capacity", p.capacity());
    put.accept("expiry", p.expiry());
    put.accept("group-expiry", p.groupExpiry());
    put.accept("channel-capacity", p.channelCapacity().isEmpty() ? null : p.channelCapacity().entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
    put.accept("symmetric-encryption-keys", joined(p.symmetricEncryptionKeys()));
    put.accept("command-timeout", p.commandTimeout());
    put.accept("liveness-timeout", p.livenessTimeout());
    p.options().forEach(put::accept);
    return s;
  }

  private static String joined(List<String> values) {
    return values.isEmpty() ? null : String.join(",", values);
  }

  static String property(String alias, String name) {
    return "channels.layers." + alias + "." + name;
  }
}
