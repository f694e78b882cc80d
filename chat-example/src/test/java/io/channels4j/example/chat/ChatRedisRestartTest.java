package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fault test of issue 9: two chat nodes (this JVM and a child process) on one redis-server, 100
 * WebSocket clients in one room; Redis is shut down and restarted empty. Every socket is still open and
 * receives a message sent once Redis is back (the room's memberships are restored within 5 s), and no
 * thread, Redis connection or group member leaks (counted before and after).
 */
class ChatRedisRestartTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern OPEN_URL = Pattern.compile("Open http://[^\\s:]+:(\\d+)\\S* in a browser");
  private static final String GROUP_KEY = "asgi:group:chat_lobby";
  private static final int CLIENTS = 100;

  /** One reply of {@code redis-cli -p port args...}, trimmed. */
  private static String cli(int port, String... args) {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("redis-cli %s finished", args[0]).isTrue();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Node B: {@code ChatServerMain} in its own JVM, logging to a file; returns once it logged its URL. */
  private record ChildNode(Process process, int port, Path log) implements AutoCloseable {
    static ChildNode start(String redisUri) throws IOException {
      Path log = Files.createTempFile("chat-node-b", ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChatServerMain.class.getName(),
          "--port", "0", "--layer", "redis", "--redis-url", redisUri)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      int port = await("node B logs its URL").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            Matcher m = OPEN_URL.matcher(Files.readString(log));
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
          }, port1 -> port1 > 0);
      return new ChildNode(p, port, log);
    }

    /** Its live threads, from /proc, but lettuce's lazily started computation pool (see {@link #ownThreads}). */
    long threads() throws IOException {
      try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
        return tasks.filter(t -> !threadName(t).startsWith("lettuce-eventEx")).count();
      }
    }

    /** A thread's name as /proc shows it (its first 15 characters); empty if it has just ended. */
    private static String threadName(Path task) {
      try {
        return Files.readString(task.resolve("comm")).strip();
      } catch (IOException e) {
        return "";
      }
    }

    @Override
    public void close() throws IOException {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
      Files.deleteIfExists(log);
    }
  }

  /**
   * This JVM's live threads but two kinds that are not node A's to leak: the JDK's "process reaper"
   * threads, which this test's own redis-cli runs start and which linger up to a minute, and lettuce's
   * computation pool ({@code lettuce-eventExecutorLoop-*}, bounded by its size), whose threads start
   * lazily, one more whenever a task first lands on it, so it may grow from the first cycle to the second.
   */
  private static int ownThreads() {
    return (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.getName().startsWith("process reaper")
            && !t.getName().startsWith("lettuce-eventExecutorLoop"))
        .count();
  }

  private static String messageOf(WsClient c) throws IOException {
    return JSON.readTree(c.nextText()).get("message").asText();
  }

  private static void everyoneReceives(List<WsClient> clients, String text) throws IOException {
    for (WsClient c : clients) {
      assertThat(messageOf(c)).isEqualTo(text);
    }
  }

  @Test
  void everySocketHearsTheRoomAgainAfterRedisRestartsEmptyWithoutLeaks() throws Exception {
    RedisProcess redis = RedisProcess.startOrSkip();
    RedisProcess.requireBinary("redis-cli", "apt-get install -y redis-tools");
    int redisPort = redis.port();
    HttpClient http = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();
    List<WsClient> clients = new ArrayList<>();
    try (ChildNode nodeB = ChildNode.start(redis.uri());
        ChatServer nodeA = ChatServer.start(ChatOptions.parse(
            new String[] {"--port", "0", "--layer", "redis", "--redis-url", redis.uri()}, Map.of()))) {
      for (int i = 0; i < CLIENTS; i++) {
        int port = i % 2 == 0 ? nodeA.port() : nodeB.port();
        clients.add(WsClient.connect(http, URI.create("ws://127.0.0.1:" + port + "/ws/chat/lobby/"),
            "http://127.0.0.1:" + port));
      }
      await("all clients joined the room").atMost(Duration.ofSeconds(10))
          .until(() -> cli(redisPort, "ZCARD", GROUP_KEY).equals(Integer.toString(CLIENTS)));
      clients.get(0).sendText(JSON.writeValueAsString(Map.of("message", "before")));
      everyoneReceives(clients, "before");
      long connections = cli(redisPort, "CLIENT", "LIST").lines().count();

      // Two restarts: the first may start pooled threads lazily (lettuce's executors); a leak would grow
      // again in the second, so the counts after it must not exceed those after the first.
      int threadsA = 0;
      long threadsB = 0;
      for (int cycle = 1; cycle <= 2; cycle++) {
        cli(redisPort, "SET", "restart-marker", "1");
        redis.close(); // shut down; it comes back empty
        redis = RedisProcess.startOn(redisPort);
        // Empty: the marker is gone (DBSIZE could already count what the nodes re-add on reconnecting).
        assertThat(cli(redisPort, "EXISTS", "restart-marker")).isEqualTo("0");
        await("both nodes re-added all 100 memberships within 5 s of Redis's return").atMost(Duration.ofSeconds(5))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> cli(redisPort, "ZCARD", GROUP_KEY).equals(Integer.toString(CLIENTS)));

        String text = "after restart " + cycle;
        clients.get(cycle).sendText(JSON.writeValueAsString(Map.of("message", text)));
        everyoneReceives(clients, text);
        assertThat(cli(redisPort, "CLIENT", "LIST").lines().count()).as("Redis connections").isLessThanOrEqualTo(connections);
        if (cycle == 1) {
          threadsA = ownThreads();
          threadsB = nodeB.threads();
        } else {
          int limitA = threadsA;
          long limitB = threadsB;
          // Bounded waits (15 s: the machine may be busy) for transient threads (HTTP client workers, earlier
          // test classes' clients) to end; a leak never gets there.
          await("node A threads back to " + limitA).atMost(Duration.ofSeconds(15)).pollInSameThread()
              .until(() -> ownThreads() <= limitA);
          await("node B threads back to " + limitB).atMost(Duration.ofSeconds(15)).until(() -> nodeB.threads() <= limitB);
        }
      }

      clients.forEach(WsClient::close);
      await("every member leaves when its socket closes").atMost(Duration.ofSeconds(10))
          .until(() -> cli(redisPort, "ZCARD", GROUP_KEY).equals("0"));
    } finally {
      clients.forEach(WsClient::close);
      redis.close();
    }
  }
}
