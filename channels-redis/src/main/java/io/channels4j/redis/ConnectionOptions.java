package io.channels4j.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.resource.ClientResources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The connection options both Redis layers' builders take (hosts and Sentinel shards in ring order,
 * Sentinel and master credentials, TLS files, command timeout, shared lettuce resources), checked as
 * they are set; combinations are checked by {@link #hostsOrDefault()} at build time.
 */
final class ConnectionOptions {

  final List<RedisURI> hosts = new ArrayList<>();
  Duration commandTimeout = Duration.ofSeconds(5);
  /** Shared lettuce resources, or null for the layer's own. */
  ClientResources resources;
  private String sentinelUsername;
  private String sentinelPassword;
  private String masterUsername;
  private String masterPassword;
  private Integer masterDatabase;
  private Path sslCaCerts;
  private Path sslCertfile;
  private Path sslKeyfile;

  void host(String redisUri) {
    hosts.add(Options.redisUri(redisUri, "host"));
  }

  /** A Sentinel shard: {@code masterName} and its sentinels as {@code host:port} or {@code redis://host:port}. */
  void sentinel(String masterName, String... sentinels) {
    if (masterName == null || masterName.isBlank()) {
      throw new IllegalArgumentException("a sentinel master name must not be blank: '" + masterName + "'");
    }
    if (sentinels == null || sentinels.length == 0) {
      throw new IllegalArgumentException("a sentinel shard needs at least one sentinel address for master '"
          + masterName + "'");
    }
    RedisURI.Builder b = null;
    for (String s : sentinels) {
      RedisURI u = Options.redisUri(s != null && !s.contains("://") ? "redis://" + s : s, "sentinel");
      if (b == null) {
        b = RedisURI.Builder.sentinel(u.getHost(), u.getPort(), masterName);
      } else {
        b.withSentinel(u.getHost(), u.getPort());
      }
    }
    hosts.add(b.build());
  }

  void sentinelUsername(String username) {
    sentinelUsername = Options.nonBlank(username, "sentinelUsername");
  }

  void sentinelPassword(String password) {
    sentinelPassword = Options.nonBlank(password, "sentinelPassword");
  }

  void masterUsername(String username) {
    masterUsername = Options.nonBlank(username, "masterUsername");
  }

  void masterPassword(String password) {
    masterPassword = Options.nonBlank(password, "masterPassword");
  }

  void masterDatabase(int db) {
    if (db < 0) {
      throw new IllegalArgumentException("masterDatabase must be a Redis database number, at least 0: '" + db + "'");
    }
    masterDatabase = db;
  }

  void sslCaCerts(Path file) {
    sslCaCerts = readable(file, "sslCaCerts");
  }

  void sslCertfile(Path file) {
    sslCertfile = readable(file, "sslCertfile");
  }

  void sslKeyfile(Path file) {
    sslKeyfile = readable(file, "sslKeyfile");
  }

  private static Path readable(Path file, String what) {
    if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(what + " must be a readable PEM file: '" + file + "'");
    }
    return file;
  }

  void commandTimeout(Duration timeout) {
    commandTimeout = Options.positive("commandTimeout", timeout);
  }

  void resources(ClientResources given) {
    resources = Objects.requireNonNull(given, "resources");
  }

  /**
   * The hosts given (or the default {@code redis://localhost:6379}), with the Sentinel and master
   * credentials and the master's database applied to every Sentinel shard.
   *
   * @throws IllegalArgumentException if credentials are given without a Sentinel shard, or a client
   *     certificate without its key (or the other way round)
   */
  List<RedisURI> hostsOrDefault() {
    checkSsl();
    List<RedisURI> all = hosts.isEmpty() ? List.of(RedisURI.create(Options.DEFAULT_HOST)) : List.copyOf(hosts);
    boolean sentinelOptions = sentinelPassword != null || sentinelUsername != null || masterPassword != null
        || masterUsername != null || masterDatabase != null;
    if (sentinelOptions && all.stream().noneMatch(u -> u.getSentinelMasterId() != null)) {
      throw new IllegalArgumentException("sentinelPassword/sentinelUsername/masterPassword/masterUsername/masterDatabase "
          + "apply to Sentinel shards, but no sentinel(...) or redis-sentinel:// host was given: " + all);
    }
    if ((sentinelUsername != null && sentinelPassword == null) || (masterUsername != null && masterPassword == null)) {
      throw new IllegalArgumentException("a user name needs its password: sentinelUsername '" + sentinelUsername
          + "', masterUsername '" + masterUsername + "'");
    }
    for (RedisURI u : all) {
      if (u.getSentinelMasterId() == null) {
        continue;
      }
      if (masterPassword != null) {
        u.setAuthentication(masterUsername, masterPassword);
      }
      if (masterDatabase != null) {
        u.setDatabase(masterDatabase);
      }
      if (sentinelPassword != null) {
        for (RedisURI s : u.getSentinels()) {
          s.setAuthentication(sentinelUsername, sentinelPassword);
        }
      }
    }
    return all;
  }

  private void checkSsl() {
    if ((sslCertfile == null) != (sslKeyfile == null)) {
      throw new IllegalArgumentException("a client certificate needs both sslCertfile and sslKeyfile: certfile '"
          + sslCertfile + "', keyfile '" + sslKeyfile + "'");
    }
  }

  /** Lettuce's TLS options for {@code rediss://} hosts: the CA to trust and the client certificate, or null. */
  SslOptions sslOptions() {
    checkSsl();
    if (sslCaCerts == null && sslCertfile == null) {
      return null;
    }
    SslOptions.Builder b = SslOptions.builder().jdkSslProvider();
    if (sslCaCerts != null) {
      b.trustManager(sslCaCerts.toFile());
    }
    if (sslCertfile != null) {
      b.keyManager(sslCertfile.toFile(), sslKeyfile.toFile(), null);
    }
    return b.build();
  }

  /** The connections these options describe ({@code layerName} is how errors name the layer). */
  RedisConnections connections(String layerName) {
    return new RedisConnections(layerName, commandTimeout, resources, sslOptions());
  }
}
