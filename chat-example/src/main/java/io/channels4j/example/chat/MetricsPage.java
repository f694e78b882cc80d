package io.channels4j.example.chat;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.Scope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code GET /metrics}: the meters in Prometheus text format, in front of the chat application (so scrapes
 * are neither counted nor subject to the session and origin middleware). Every other request goes on to the
 * application.
 */
final class MetricsPage {

  /** The path Prometheus scrapes. */
  static final String PATH = "/metrics";
  /** Prometheus text exposition format 0.0.4. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private MetricsPage() {}

  /** {@code next}, with {@code GET /metrics} answered by {@code scrape}. */
  static Application inFrontOf(Application next, Supplier<String> scrape) {
    return (scope, receive, send) -> {
      if (!Scope.HTTP.equals(scope.type()) || !PATH.equals(scope.path())) {
        return next.handle(scope, receive, send);
      }
      boolean get = "GET".equals(scope.method()) || "HEAD".equals(scope.method());
      byte[] body = (get ? scrape.get() : "only GET is allowed\n").getBytes(StandardCharsets.UTF_8);
      List<Header> headers = get
          ? List.of(Header.of("content-type", CONTENT_TYPE))
          : List.of(Header.of("content-type", "text/plain; charset=utf-8"), Header.of("allow", "GET, HEAD"));
      return receive.receive()
          .thenCompose(request -> send.send(Message.of("http.response.start", "status", get ? 200 : 405,
              "headers", Header.toMessageValue(headers))))
          .thenCompose(v -> send.send(Message.of("http.response.body", "body", body, "more_body", false)));
    };
  }
}
