package io.channels4j.testing;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.Scope;
import io.channels4j.internal.AsyncQueue;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an {@link Application} without a server, for tests: the Java form of asgiref's {@code
 * ApplicationCommunicator}. Feed it events with {@link #sendInput}, read what it sends with {@link
 * #receiveOutput}. Failures are {@link AssertionError}s that say what arrived instead of what was
 * expected; no test framework is needed.
 */
public class ApplicationCommunicator implements AutoCloseable {

  /** Marks the end of the application's output. */
  private static final Message END = Message.of("testing.application.end");

  /** The default time to wait for an output. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  /** The default time {@link #receiveNothing()} waits. */
  public static final Duration NOTHING_TIMEOUT = Duration.ofMillis(100);

  private final AsyncQueue<Message> input = new AsyncQueue<>();
  private final LinkedBlockingDeque<Message> output = new LinkedBlockingDeque<>();
  private final CompletableFuture<Void> future;
  /** The scope the application runs with. */
  protected final Scope scope;

  /**
   * Starts {@code application} with {@code scope}.
   *
   * @param application the application
   * @param scope the connection scope
   */
  public ApplicationCommunicator(Application application, Scope scope) {
    Objects.requireNonNull(application, "application");
    this.scope = Objects.requireNonNull(scope, "scope");
    CompletableFuture<Void> f;
    try {
      f = application
          .handle(scope, input::poll, m -> {
            output.add(Objects.requireNonNull(m, "sent message"));
            return CompletableFuture.completedFuture(null);
          })
          .toCompletableFuture();
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    this.future = f;
    f.whenComplete((v, e) -> output.add(END));
  }

  /**
   * The scope the application runs with (Channels' {@code communicator.scope}).
   *
   * @return the scope
   */
  public Scope scope() {
    return scope;
  }

  /**
   * Sends an event to the application.
   *
   * @param message the message
   */
  public void sendInput(Message message) {
    input.offer(Objects.requireNonNull(message, "message"));
  }

  /**
   * Receives the next event the application sent, waiting up to 1 s.
   *
   * @return the message
   */
  public Message receiveOutput() {
    return receiveOutput(DEFAULT_TIMEOUT);
  }

  /**
   * Receives the next event the application sent.
   *
   * @param timeout how long to wait
   * @return the message
   * @throws AssertionError if nothing arrives in time, or the application finished before sending one
   * @throws RuntimeException the application's own exception if it failed before sending one (as
   *     Channels' {@code receive_output} raises it); a checked one comes as the cause of an AssertionError
   */
  public Message receiveOutput(Duration timeout) {
    Message m = take(timeout);
    if (m == null) {
      throw new AssertionError(
          "expected an event within " + timeout.toMillis() + " ms, got none; the application is still running");
    }
    if (m == END) {
      output.offerFirst(END);
      Throwable failure = failure();
      if (failure instanceof RuntimeException e) {
        throw e;
      }
      if (failure instanceof Error e) {
        throw e;
      }
      throw new AssertionError("expected an event, but the application " + outcome(), failure);
    }
    return m;
  }

  /**
   * Returns true if the application sends nothing within 100 ms.
   *
   * @return true if the application sends nothing within 100 ms
   */
  public boolean receiveNothing() {
    return receiveNothing(NOTHING_TIMEOUT);
  }

  /**
   * Returns true if the application sends nothing within {@code timeout}; false if it sends something
   * (the event stays queued for {@link #receiveOutput}).
   *
   * @param timeout how long to wait
   * @return true if the application sends nothing within {@code timeout}; false if it sends something (the event
   *     stays queued for {@link #receiveOutput})
   */
  public boolean receiveNothing(Duration timeout) {
    Message m = take(timeout);
    if (m == null) {
      return true;
    }
    output.offerFirst(m);
    return m == END;
  }

  private Message take(Duration timeout) {
    try {
      return output.pollFirst(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for an event", e);
    }
  }

  /** Waits up to 1 s for the application to finish, rethrowing its failure. */
  public void await() {
    await(DEFAULT_TIMEOUT);
  }

  /**
   * Waits for the application to finish.
   *
   * @param timeout how long to wait
   * @throws AssertionError if it does not finish in time or it failed
   */
  public void await(Duration timeout) {
    try {
      future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("the application did not finish within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new AssertionError("the application failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for the application", e);
    }
  }

  /**
   * True once the application has finished.
   *
   * @return {@code true} once the application has finished
   */
  public boolean isDone() {
    return future.isDone();
  }

  /** Stops the application (cancels it if still running). */
  public void stop() {
    future.cancel(false);
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  private String outcome() {
    Throwable t = failure();
    return t == null ? "finished without sending it" : "failed: " + t;
  }

  private Throwable failure() {
    if (!future.isCompletedExceptionally()) {
      return null;
    }
    try {
      future.join();
      return null;
    } catch (CompletionException e) {
      return e.getCause();
    } catch (RuntimeException e) {
      return e;
    }
  }
}
