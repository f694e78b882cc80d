package io.channels4j.redis;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Small helpers for the layers' futures: validate-then-fail-the-stage, and "all of a list". */
final class Stages {

  private Stages() {}

  /**
   * Runs {@code op}; an exception it throws (a bad name, a closed layer) becomes a failed stage, as
   * the {@link io.channels4j.layers.ChannelLayer} contract asks instead of a throw.
   */
  static <T> CompletionStage<T> attempt(Supplier<? extends CompletionStage<T>> op) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Completes when every future in {@code fs} has. */
  static CompletableFuture<Void> allOf(List<? extends CompletableFuture<?>> fs) {
    return CompletableFuture.allOf(fs.toArray(new CompletableFuture<?>[0]));
  }
}
