package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.channels4j.redis.RedisLayerFactory;
import io.channels4j.worker.Worker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stats worker as a user runs it: the library's {@code runworker} command ({@link Worker#main}) in
 * its own JVM, over a real redis-server shared with a chat server started with {@code --stats}. {@code
 * /stats} typed in a room is answered to that room with its count; SIGTERM stops the worker with status 0.
 */
class ChatStatsWorkerTest {

  private static RedisProcess redis;
  private static ChatServer server;
  private static Process worker;
  private static Thread reader;
  private static final StringBuffer workerLog = new StringBuffer();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.startOrSkip();
    server = ChatServer.start(ChatOptions.parse(
        new String[] {"--port", "0", "--layer", "redis", "--redis-url", redis.uri(), "--stats"}, Map.of()));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    worker = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Worker.class.getName(),
        "--channels", StatsWorker.CHANNEL, "--application", StatsWorker.class.getName(),
        "--layer", RedisLayerFactory.class.getName(), "--layer-option", "host=" + redis.uri(), "--grace", "20"))
        .redirectErrorStream(true).start();
    CompletableFuture<Void> consuming = new CompletableFuture<>();
    reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          workerLog.append(line).append('\n');
          if (line.startsWith("runworker: consuming")) {
            consuming.complete(null);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      consuming.completeExceptionally(new IllegalStateException("the worker ended before consuming:\n" + workerLog));
    }, "stats-worker-log");
    reader.setDaemon(true);
    reader.start();
    consuming.get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    try {
      if (worker != null && worker.isAlive()) {
        worker.destroyForcibly();
      }
      if (server != null) {
        server.close();
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  private static JsonNode next(WsClient c) throws IOException {
    try {
      return HttpRoomClient.JSON.readTree(c.nextText());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; the worker's log:\n" + workerLog, e);
    }
  }

  @Test
  void aWorkerInAnotherProcessAnswersStatsAndStopsCleanlyOnSigterm() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    String origin = "http://127.0.0.1:" + server.port();
    try (WsClient lobby = WsClient.connect(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws/chat/stats_lobby/"), origin);
        WsClient other = WsClient.connect(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws/chat/stats_other/"), origin)) {
      HttpRoomClient lobbyHttp = new HttpRoomClient(http, server.port(), "stats_lobby");
      try (HttpRoomClient.EventStream events = lobbyHttp.events(null)) {
        lobby.sendText("{\"message\": \"hello\"}");
        assertThat(next(lobby).get("message").asText()).isEqualTo("hello");
        assertThat(lobbyHttp.post(StatsWorker.COMMAND)).isEqualTo(202);
        assertThat(next(lobby).get("message").asText()).isEqualTo(StatsWorker.COMMAND);
        JsonNode answer = next(lobby);
        assertThat(answer.get("message").asText()).isEqualTo(StatsWorker.answer(2));
        assertThat(answer.get("user").asText()).isEqualTo(StatsWorker.USER);
        // The answer is a room message like any other: the event stream and the history have it too.
        assertThat(events.next().message()).isEqualTo("hello");
        assertThat(events.next().message()).isEqualTo(StatsWorker.COMMAND);
        assertThat(events.next().message()).isEqualTo(StatsWorker.answer(2));
      }

      other.sendText("{\"message\": \"/stats\"}");
      assertThat(next(other).get("message").asText()).isEqualTo(StatsWorker.COMMAND);
      assertThat(next(other).get("message").asText()).isEqualTo(StatsWorker.answer(1));
    }

    // SIGTERM as an init system sends it (Process.destroy would also close our end of its output pipe).
    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(worker.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -TERM ran").isTrue();
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("worker exited; log:\n%s", workerLog).isTrue();
    assertThat(worker.exitValue()).as("exit status; log:\n%s", workerLog).isZero();
    reader.join(TimeUnit.SECONDS.toMillis(10)); // the whole log, to the end of the process's output
    assertThat(workerLog.toString()).contains("Worker on [chat-stats] stopped\n");
  }
}
