package io.channels4j.example.chat;

import io.channels4j.consumer.AsyncHttpConsumer;
import java.util.concurrent.CompletionStage;

/** {@code GET /chat/}: the page that asks which room to enter (the tutorial's {@code views.index}). */
public class IndexConsumer extends AsyncHttpConsumer {

  /** Creates the consumer of one request. */
  public IndexConsumer() {}

  /** Sends the index page. */
  @Override
  public CompletionStage<Void> handle(byte[] body) {
    return Pages.respond(this, Pages.INDEX);
  }
}
