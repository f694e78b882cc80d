package io.channels4j.docs.tutorial;

// tag::page-consumer[]
import io.channels4j.Header;
import io.channels4j.consumer.AsyncHttpConsumer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Answers every request with one HTML page (the tutorial's Django views, without templates). */
public class PageConsumer extends AsyncHttpConsumer {

  private final byte[] html;

  /**
   * A consumer serving {@code html}.
   *
   * @param html the page
   */
  public PageConsumer(String html) {
    this.html = html.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public CompletionStage<Void> handle(byte[] body) {
    return sendResponse(200, html, List.of(Header.of("content-type", "text/html; charset=utf-8")));
  }
}
// end::page-consumer[]
