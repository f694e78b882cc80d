package io.channels4j.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The connection options both Redis layers' builders take (hosts, command timeout, shared lettuce
 * resources), checked as they are set.
 */
final class ConnectionOptions {

  final List<RedisURI> hosts = new ArrayList<>();
  Duration commandTimeout = Duration.ofSeconds(5);
  /** Shared lettuce resources, or null for the layer's own. */
  ClientResources resources;

  void host(String redisUri) {
    hosts.add(Options.redisUri(redisUri, "host"));
  }

  void commandTimeout(Duration timeout) {
    commandTimeout = Options.positive("commandTimeout", timeout);
  }

  void resources(ClientResources given) {
    resources = Objects.requireNonNull(given, "resources");
  }

  /** The hosts given, or the default {@code redis://localhost:6379}. */
  List<RedisURI> hostsOrDefault() {
    return hosts.isEmpty() ? List.of(RedisURI.create(Options.DEFAULT_HOST)) : List.copyOf(hosts);
  }

  /** The connections these options describe ({@code layerName} is how errors name the layer). */
  RedisConnections connections(String layerName) {
    return new RedisConnections(layerName, commandTimeout, resources);
  }
}
