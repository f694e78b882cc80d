package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChatServerMainTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> env, String... args) {
    return ChatServerMain.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void helpListsTheFlags() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("--host", "--port", "--layer", "--redis-url", "--allowed-hosts", "--help");
  }

  @Test
  void aBadFlagOrVariableIsExplainedWithStatus2() {
    assertThat(run(Map.of(), "--layer", "kafka")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("chat-example: --layer must be 'memory' or 'redis', got 'kafka'", "--help");
    err.reset();
    assertThat(run(Map.of("CHAT_PORT", "http"))).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("CHAT_PORT must be a port number 0-65535, got 'http'");
  }

  @Test
  void theRealProcessExitsWithStatus2OnABadFlag() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        ChatServerMain.class.getName(), "--prot", "80")).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(output).contains("Unknown options: '--prot', '80'");
  }
}
