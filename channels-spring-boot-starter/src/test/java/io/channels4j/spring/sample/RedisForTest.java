package io.channels4j.spring.sample;

import static org.awaitility.Awaitility.await;

import io.channels4j.MissingTool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A redis-server process on a free loopback port for one test class. Declare it before {@code @SpringBootTest}
 * so it starts before the context and stops after the context is closed ({@code @DirtiesContext}).
 */
final class RedisForTest implements BeforeAllCallback, AfterAllCallback {

  private static volatile Process process;
  private static volatile int port;

  /** The URL of the running server, for {@code channels.layers.default.url}. */
  static String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    int free;
    try (ServerSocket probe = new ServerSocket(0)) {
      free = probe.getLocalPort();
    }
    try {
      process = new ProcessBuilder("redis-server", "--port", Integer.toString(free), "--bind", "127.0.0.1",
          "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      MissingTool.skipOrFail("redis-server is not installed; the Spring Boot Redis sample test needs it");
    }
    port = free;
    await("redis-server answering PING on port " + free).atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50)).ignoreExceptions().until(() -> ping(free));
  }

  private static boolean ping(int port) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    Process p = process;
    if (p != null) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      process = null;
    }
  }
}
