package io.channels4j.undertow;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Runs {@link Main} in-process and stops what it started after each test. */
abstract class CliTest {

  static final String APP = CliApps.class.getName() + "::ECHO";

  /** What one launch printed and returned. */
  record Run(int status, String out, String err, Serving serving) {
    int port(int i) {
      return serving.servers.get(i).port();
    }
  }

  private final List<Serving> started = new ArrayList<>();

  @AfterEach
  void stopAll() {
    started.forEach(Serving::close);
  }

  Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Main.Launch l = Main.launch(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    if (l.serving() != null) {
      started.add(l.serving());
    }
    return new Run(l.status(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), l.serving());
  }

  static String get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }
}
