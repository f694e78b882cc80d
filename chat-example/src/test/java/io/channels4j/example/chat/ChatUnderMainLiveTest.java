package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.undertow.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat served by the adapter's Daphne-like command ({@code io.channels4j.undertow.Main
 * io.channels4j.example.chat.ChatApplication::application}) in a real process on an ephemeral port: two
 * browsers' sockets in one room both get a message, as with the example's own jar; SIGTERM stops it gracefully.
 */
class ChatUnderMainLiveTest {

  private static final Pattern LISTENING = Pattern.compile("Channels4J listening on http://127\\.0\\.0\\.1:(\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;
  private Path log;
  private Process process;

  @AfterEach
  void kill() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  private String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts Main in its own JVM, its output in a file (a pipe read while the process exits can lose its tail). */
  private int startMain() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    log = dir.resolve("main.log");
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "-p", "0", "--access-log", "-", ChatApplication.class.getName() + "::application"))
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("CHAT_LAYER", "memory");
    process = pb.start();
    Matcher[] listening = new Matcher[1];
    Awaitility.await("Main reports its port").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> (listening[0] = LISTENING.matcher(output())).find() || !process.isAlive());
    assertThat(process.isAlive()).as("Main is running; output:\n%s", output()).isTrue();
    return Integer.parseInt(listening[0].group(1));
  }

  private static String messageOf(WsClient c) throws Exception {
    JsonNode reply = JSON.readTree(c.nextText());
    return reply.get("message").asText();
  }

  @Test
  void twoClientsInARoomBothGetAMessageAndSigtermStopsGracefully() throws Exception {
    int port = startMain();
    HttpClient http = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();
    URI room = URI.create("ws://127.0.0.1:" + port + "/ws/chat/lobby/");
    String origin = "http://localhost:" + port;
    try (WsClient alice = WsClient.connect(http, room, origin); WsClient bob = WsClient.connect(http, room, origin)) {
      alice.sendText(JSON.writeValueAsString(Map.of("message", "hello from Main")));
      assertThat(messageOf(alice)).isEqualTo("hello from Main");
      assertThat(messageOf(bob)).isEqualTo("hello from Main");
      assertThat(WsClient.refusedStatus(http, room, "http://evil.example")).as("the origin check is the app's own")
          .isEqualTo(403);

      process.destroy(); // SIGTERM: the shutdown hook stops the server
      assertThat(alice.nextClose().closeCode).isEqualTo(1001);
    }
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM; output:\n%s", output()).isTrue();
    assertThat(output()).as("exit %s", process.exitValue()).contains("WSCONNECT /ws/chat/lobby/", "WSDISCONNECT /ws/chat/lobby/ 1001", "stopped");
  }
}
