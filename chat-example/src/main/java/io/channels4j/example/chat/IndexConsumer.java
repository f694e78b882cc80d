package io.channels4j.example.chat;

import io.channels4j.auth.AuthMiddleware;
import io.channels4j.auth.User;
import io.channels4j.consumer.AsyncHttpConsumer;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /chat/}: the page that asks which room to enter (the tutorial's {@code views.index}), with a
 * box for a display name showing the current one.
 */
public class IndexConsumer extends AsyncHttpConsumer {

  /** Creates the consumer of one request. */
  public IndexConsumer() {}

  /** Sends the index page. */
  @Override
  public CompletionStage<Void> handle(byte[] body) {
    User user = scope().has(AuthMiddleware.SCOPE_KEY) ? AuthMiddleware.user(scope()) : User.anonymous();
    return Pages.respond(this, Pages.index(user.isAuthenticated() ? user.username() : ""));
  }
}
