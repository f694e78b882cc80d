package io.channels4j.micrometer;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * A pending receive watched on its way through: the returned future completes as the source does, after
 * {@code watch} saw the outcome, and cancelling it cancels the source (a consumer that stops withdraws its
 * receive from the layer or inbox; a plain {@code whenComplete} stage would leave it there to eat a message).
 */
final class Relay<T> extends CompletableFuture<T> {

  private final CompletableFuture<T> source;

  private Relay(CompletableFuture<T> source) {
    this.source = source;
  }

  static <T> CompletableFuture<T> watch(CompletionStage<T> stage, BiConsumer<T, Throwable> watch) {
    Relay<T> relay = new Relay<>(stage.toCompletableFuture());
    relay.source.whenComplete((value, error) -> {
      Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
      watch.accept(value, cause);
      if (cause == null) {
        relay.complete(value);
      } else {
        relay.completeExceptionally(cause);
      }
    });
    return relay;
  }

  /** Cancels the source first; if it already has its outcome, this relays that outcome instead. */
  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    return source.cancel(mayInterruptIfRunning) && super.cancel(mayInterruptIfRunning);
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>();
  }
}
