package io.channels4j;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An application: the Java form of an ASGI application {@code app(scope, receive, send)}.
 *
 * <p>A server calls {@link #handle} once per connection with that connection's {@link Scope}. The
 * application pulls events with {@code receive} and emits events with {@code send}; the returned stage
 * completes when the application is done with the connection. Consumers, routers and middleware are
 * all applications, so they nest freely.
 */
@FunctionalInterface
public interface Application {

  /**
   * Runs this application for one connection.
   *
   * @param scope what is known about the connection (type, path, headers, ...)
   * @param receive pulls the next event from the client (e.g. {@code websocket.receive})
   * @param send emits an event to the client (e.g. {@code websocket.send})
   * @return a stage that completes when the application has finished with the connection
   */
  CompletionStage<Void> handle(Scope scope, Receive receive, Send send);

  /** {@return a stage that is already complete, for applications that finish synchronously} */
  static CompletionStage<Void> done() {
    return CompletableFuture.completedFuture(null);
  }
}
