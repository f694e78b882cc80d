package io.channels4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a reference script against the real Django Channels (Debian's {@code python3-django-channels}) for
 * parity tests: JSON in on stdin, JSON out on stdout. Without Python Channels the calling test is skipped
 * with a loud message, or fails when {@code CI=true}.
 */
public final class PythonChannels {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PYTHON = "/usr/bin/python3";

  private PythonChannels() {}

  /** Runs classpath resource {@code script} (relative to {@code anchor}) with {@code input} as JSON. */
  public static JsonNode run(Class<?> anchor, String script, Object input) throws Exception {
    requireAvailable();
    Path file = Files.createTempFile("channels-reference", ".py");
    try (InputStream in = anchor.getResourceAsStream(script)) {
      assertThat(in).as("resource %s next to %s", script, anchor.getName()).isNotNull();
      Files.write(file, in.readAllBytes());
    }
    try {
      Process p = new ProcessBuilder(PYTHON, file.toString()).start();
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      try (OutputStream stdin = p.getOutputStream()) {
        stdin.write(JSON.writeValueAsBytes(input));
      }
      byte[] out = p.getInputStream().readAllBytes();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("python finished within 30 s").isTrue();
      assertThat(p.exitValue())
          .as("python failed: %s", new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8))
          .isZero();
      return JSON.readTree(out);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static void requireAvailable() {
    boolean available = Files.isExecutable(Path.of(PYTHON)) && canImportChannels();
    if (available) {
      return;
    }
    String why = PYTHON + " cannot import Django Channels (apt-get install python3-django-channels)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      throw new AssertionError("CI=true, so not skipping: " + why);
    }
    System.err.println("!!! SKIPPING a Django Channels parity test: " + why);
    assumeThat(available).as(why).isTrue();
  }

  private static boolean canImportChannels() {
    try {
      Process p = new ProcessBuilder(PYTHON, "-c", "import channels, django").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      return e.toString().getBytes(StandardCharsets.UTF_8);
    }
  }
}
