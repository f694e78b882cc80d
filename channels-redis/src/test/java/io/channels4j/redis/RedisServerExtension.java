package io.channels4j.redis;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension giving a test class real Redis: a {@code redis-server} on an ephemeral loopback
 * port (or the server named by env {@code REDIS_URL}), optionally a second one, or a 3-master Redis
 * Cluster. Register it as a static field:
 *
 * <pre>{@code
 * @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();
 * }</pre>
 *
 * <p>Without a redis-server binary the tests are skipped with a loud message, except when env {@code
 * CI=true}, where they fail.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

  private final int servers;
  private final boolean cluster;
  private final List<RedisServer> started = new ArrayList<>();
  private String externalUri;

  /** One standalone server. */
  public RedisServerExtension() {
    this(1, false);
  }

  private RedisServerExtension(int servers, boolean cluster) {
    this.servers = servers;
    this.cluster = cluster;
  }

  /** {@code n} independent standalone servers (for sharding). */
  public static RedisServerExtension standalone(int n) {
    return new RedisServerExtension(n, false);
  }

  /** A 3-master Redis Cluster (no replicas). */
  public static RedisServerExtension cluster() {
    return new RedisServerExtension(3, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    String env = System.getenv("REDIS_URL");
    if (env != null && !env.isBlank() && servers == 1 && !cluster) {
      externalUri = env;
      return;
    }
    requireRedisServer();
    for (int i = 0; i < servers; i++) {
      started.add(cluster
          ? RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
              "--cluster-node-timeout", "5000")
          : RedisServer.start());
    }
    if (cluster) {
      createCluster();
    }
  }

  /** Aborts (or, with CI=true, fails) the test when redis-server is missing. */
  static void requireRedisServer() {
    if (!RedisServer.available()) {
      String msg = "*** redis-server is not installed: Redis tests CANNOT RUN (apt-get install redis-server) ***";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(msg + " -- failing because CI=true");
      }
      System.err.println(msg);
      Assumptions.abort(msg);
    }
  }

  private void createCluster() {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    for (RedisServer s : started) {
      cmd.add("127.0.0.1:" + s.port());
    }
    cmd.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot run redis-cli", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    // Readiness poll (not test synchronisation): the cluster bus converges on its own schedule.
    await("cluster_state:ok on every node").atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> started.stream().allMatch(s -> RedisServer.command(s.port(), "CLUSTER", "INFO").contains("cluster_state:ok")));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (RedisServer s : started) {
      s.close();
    }
    started.clear();
  }

  /** The URI of the (first) server. */
  public String uri() {
    return externalUri != null ? externalUri : started.get(0).uri();
  }

  /** The URIs of every started server (cluster nodes or shards). */
  public List<String> uris() {
    if (externalUri != null) {
      return List.of(externalUri);
    }
    List<String> out = new ArrayList<>();
    for (RedisServer s : started) {
      out.add(s.uri());
    }
    return out;
  }

  /** The {@code i}th started server; aborts the test when an external REDIS_URL is used. */
  public RedisServer server(int i) {
    Assumptions.assumeTrue(externalUri == null, "needs a redis-server started by the test, not REDIS_URL");
    return started.get(i);
  }
}
