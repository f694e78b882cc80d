package io.channels4j.consumer;

import io.channels4j.Message;
import io.channels4j.internal.Futures;
import io.channels4j.internal.Threads;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A consumer whose handlers may block (database calls, {@code channelLayer().sync()}). Each event is
 * handled on {@link #executor()} — a virtual thread when the runtime has them (Java 21+), else a bounded
 * pool — never on the server's I/O thread. Events are still handled one at a time, in order.
 *
 * <p>This is a thin layer over {@link AsyncConsumer}: only where handlers run differs.
 */
public abstract class SyncConsumer extends AsyncConsumer {

  /** Creates a consumer. */
  protected SyncConsumer() {}

  /**
   * {@return where handlers run} The default is a virtual thread per event on Java 21+, else a shared bounded pool
   * of {@code max(32, 8 x cores)} threads. Override to inject another executor.
   */
  protected Executor executor() {
    return Threads.blockingExecutor();
  }

  @Override
  final CompletionStage<Void> dispatch(Message message) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    executor()
        .execute(
            () -> {
              try {
                // A sync handler is done when it returns; a stage it returns is awaited here too.
                invokeHandler(message).toCompletableFuture().join();
                result.complete(null);
              } catch (Throwable t) {
                result.completeExceptionally(unwrap(t));
              }
            });
    return result;
  }

  /** Waits for {@code stage} on this consumer's thread, rethrowing its failure unwrapped. */
  static <T> T await(CompletionStage<T> stage) {
    return Futures.await(stage);
  }
}
