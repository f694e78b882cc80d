package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * This app and the Django Channels tutorial app (its Django project is in this module's
 * {@code src/test/django}, served by Daphne with channels_redis) in one room through one real redis-server: a message typed on either side
 * reaches both. Needs redis-server and Debian's python3-django, -django-channels, -channels-redis and -daphne;
 * skipped loudly without them (failed under CI=true).
 */
class ChatDjangoInteropTest {

  private static final Pattern LISTENING = Pattern.compile("Listening on TCP address [^:]+:(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RedisProcess redis;
  private static ChatServer javaNode;
  private static Process django;
  private static int djangoPort;
  private static Path djangoDb;
  private static final StringBuilder djangoLog = new StringBuilder();
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    Path runSh = djangoProject();
    requirePythonModules();
    redis = RedisProcess.startOrSkip();
    javaNode = ChatServer.start(ChatOptions.parse(
        new String[] {"--port", "0", "--layer", "redis", "--redis-url", redis.uri()}, Map.of()));
    django = startDjango(runSh, redis.uri());
    http = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();
  }

  /** The Django tutorial project carried by this module's tests: {@code src/test/django/run.sh}. */
  private static Path djangoProject() {
    Path runSh = Path.of("src", "test", "django", "run.sh").toAbsolutePath();
    if (!Files.isRegularFile(runSh)) {
      throw new IllegalStateException("the Django tutorial project is missing: " + runSh);
    }
    return runSh;
  }

  private static void requirePythonModules() throws Exception {
    String python = Optional.ofNullable(System.getenv("PYTHON")).orElse("/usr/bin/python3");
    boolean ok;
    try {
      Process p = new ProcessBuilder(python, "-c", "import django, channels, channels_redis, daphne")
          .redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      ok = false;
    }
    if (!ok) {
      String message = python + " cannot import django, channels, channels_redis and daphne; install them with:"
          + " apt-get install -y python3-django python3-django-channels python3-channels-redis python3-daphne";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message + " (CI=true: a missing tool is a failure, not a skip)");
      }
      System.err.println("SKIPPED (loudly): " + message);
      Assumptions.abort(message);
    }
  }

  /** Runs the Django project's run.sh (which execs Daphne) on a free port and waits for Daphne's "Listening" line. */
  private static Process startDjango(Path runSh, String redisUri) throws Exception {
    int port = freePort();
    djangoDb = Files.createTempFile("chat-interop-django-", ".sqlite3");
    ProcessBuilder pb = new ProcessBuilder("bash", runSh.toString(), Integer.toString(port), "redis").redirectErrorStream(true);
    pb.environment().put("REDIS_URL", redisUri);
    pb.environment().put("DJANGO_DB", djangoDb.toString());
    Process p = pb.start();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (djangoLog) {
            djangoLog.append(line).append('\n');
          }
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            listening.complete(Integer.parseInt(m.group(1)));
          }
        }
      } catch (IOException e) {
        // Daphne ended
      }
      listening.completeExceptionally(new IllegalStateException("Daphne exited before listening:\n" + djangoLog));
    }, "django-log");
    reader.setDaemon(true);
    reader.start();
    try {
      djangoPort = listening.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new AssertionError("the Django app did not start within 60 s; its log:\n" + djangoLog, e);
    }
    return p;
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (django != null) {
        django.destroy();
        if (!django.waitFor(10, TimeUnit.SECONDS)) {
          django.destroyForcibly();
        }
      }
      if (javaNode != null) {
        javaNode.close();
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
      if (djangoDb != null) {
        Files.deleteIfExists(djangoDb);
      }
    }
  }

  private static WsClient join(int port, String room, List<WsClient> open) {
    WsClient c = WsClient.connect(http, URI.create("ws://127.0.0.1:" + port + "/ws/chat/" + room + "/"),
        "http://127.0.0.1:" + port);
    open.add(c);
    return c;
  }

  private static String messageOf(WsClient c) throws IOException {
    return JSON.readTree(c.nextText()).get("message").asText();
  }

  @Test
  void javaAndDjangoClientsShareARoomThroughRedis() throws Exception {
    List<WsClient> open = new ArrayList<>();
    try {
      WsClient onJava = join(javaNode.port(), "lobby", open);
      WsClient onDjango = join(djangoPort, "lobby", open);

      onJava.sendText(JSON.writeValueAsString(Map.of("message", "hello from Java 你好")));
      assertThat(messageOf(onJava)).isEqualTo("hello from Java 你好");
      assertThat(messageOf(onDjango)).isEqualTo("hello from Java 你好");

      onDjango.sendText(JSON.writeValueAsString(Map.of("message", "hello from Django")));
      assertThat(messageOf(onDjango)).isEqualTo("hello from Django");
      assertThat(messageOf(onJava)).isEqualTo("hello from Django");
    } finally {
      open.forEach(WsClient::close);
      synchronized (djangoLog) {
        if (djangoLog.indexOf("Traceback") >= 0) {
          System.err.println("Django app log:\n" + djangoLog);
        }
      }
    }
  }
}
