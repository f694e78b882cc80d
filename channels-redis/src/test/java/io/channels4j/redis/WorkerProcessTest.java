package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import io.channels4j.worker.Worker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code runworker} command ({@link Worker#main}) in a child JVM over a real redis-server, built by
 * {@link RedisLayerFactory}: on SIGTERM it stops taking messages, finishes the one in hand, and exits 0;
 * a message sent after the signal stays in Redis for the next worker.
 */
class WorkerProcessTest {

  @RegisterExtension static final RedisServerExtension REDIS = new RedisServerExtension();

  private final StringBuffer log = new StringBuffer();

  @Test
  void sigtermFinishesTheCurrentMessageThenExitsZero() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process worker = new ProcessBuilder(List.of(java, "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
        "-cp", System.getProperty("java.class.path"), Worker.class.getName(),
        "--channels", SlowJobApplication.JOBS, "--application", SlowJobApplication.class.getName(),
        "--layer", RedisLayerFactory.class.getName(), "--layer-option", "host=" + REDIS.uri(), "--grace", "20"))
        .redirectErrorStream(true).start();
    CompletableFuture<Void> consuming = new CompletableFuture<>();
    CompletableFuture<Void> stopping = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          log.append(line).append('\n');
          if (line.startsWith("runworker: consuming")) {
            consuming.complete(null);
          }
          if (line.contains("stopping: finishing the current messages")) {
            stopping.complete(null);
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      consuming.completeExceptionally(new AssertionError("the worker ended early:\n" + log));
      stopping.completeExceptionally(new AssertionError("the worker never said it was stopping:\n" + log));
    }, "worker-process-log");
    reader.setDaemon(true);
    reader.start();
    try (RedisChannelLayer layer = RedisChannelLayer.builder().host(REDIS.uri()).build()) {
      consuming.get(30, TimeUnit.SECONDS);
      layer.send(SlowJobApplication.JOBS, Message.of("job.run", "id", 1, "reply", "test-replies"))
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      Message started = layer.receive("test-replies").toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(started.type()).isEqualTo("job.started");

      Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(worker.pid())).start();
      assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -TERM ran").isTrue();
      stopping.get(20, TimeUnit.SECONDS);
      // Sent after the signal: the stopping worker must leave it in Redis.
      layer.send(SlowJobApplication.JOBS, Message.of("job.run", "id", 2, "reply", "test-replies"))
          .toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(worker.isAlive()).as("still finishing job 1").isTrue();

      layer.send(SlowJobApplication.RELEASE, Message.of("job.release")).toCompletableFuture().get(5, TimeUnit.SECONDS);
      Message finished = layer.receive("test-replies").toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(finished.type()).isEqualTo("job.finished");
      assertThat(finished.get("id")).isEqualTo(1L);

      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).as("worker exited; log:\n%s", log).isTrue();
      assertThat(worker.exitValue()).as("exit status; log:\n%s", log).isZero();
      reader.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(log.toString()).contains("Worker on [" + SlowJobApplication.JOBS + "] stopped\n");
      Message left = layer.receive(SlowJobApplication.JOBS).toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(left.get("id")).isEqualTo(2L);
    } catch (Exception | AssertionError e) {
      throw new AssertionError("failed (" + e + "); the worker's log:\n" + log, e);
    } finally {
      if (worker.isAlive()) {
        worker.destroyForcibly();
      }
    }
  }
}
