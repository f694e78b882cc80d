package io.channels4j.consumer;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.internal.Futures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A consumer whose handlers may block (database calls, {@code channelLayer().sync()}). Each event is
 * handled on {@link #executor()} — a virtual thread when the runtime has them (Java 21+), else a bounded
 * pool — never on the server's I/O thread. Events are still handled one at a time, in order.
 *
 * <p>As in Channels' {@code SyncConsumer}, {@link #send(Message)} blocks when called from a handler: it
 * returns once the server has taken the event, and throws if it failed.
 *
 * <p>This is a thin layer over {@link AsyncConsumer}: only where handlers run differs.
 */
public abstract class SyncConsumer extends AsyncConsumer {

  /** The thread running this consumer's current handler, or null between events. */
  private volatile Thread handlerThread;

  /** Creates a consumer. */
  protected SyncConsumer() {}

  /**
   * Sends an event to the client (through the server). Called from a handler, this blocks until the
   * server has taken the event and throws its failure unwrapped (Channels' blocking {@code send}); the
   * returned stage is then already complete. Called from another thread, it does not block.
   *
   * @param message the message
   * @return a stage that completes when this is done (already complete when called from a handler)
   */
  @Override
  public CompletionStage<Void> send(Message message) {
    CompletionStage<Void> sent = super.send(message);
    if (Thread.currentThread() != handlerThread) {
      return sent;
    }
    Futures.await(sent);
    return Application.done();
  }

  @Override
  final CompletionStage<Void> deliver(Message message) {
    CompletableFuture<Void> result = new CompletableFuture<>();
    executor()
        .execute(
            () -> {
              handlerThread = Thread.currentThread();
              Throwable failure = null;
              try {
                // A sync handler is done when it returns; a stage it returns is awaited here too.
                dispatch(message).toCompletableFuture().join();
              } catch (Throwable t) {
                failure = unwrap(t);
              } finally {
                handlerThread = null;
              }
              if (failure == null) {
                result.complete(null);
              } else {
                result.completeExceptionally(failure);
              }
            });
    return result;
  }

  /** Waits for {@code stage} on this consumer's thread, rethrowing its failure unwrapped. */
  static <T> T await(CompletionStage<T> stage) {
    return Futures.await(stage);
  }
}
