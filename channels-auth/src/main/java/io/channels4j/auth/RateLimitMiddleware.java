package io.channels4j.auth;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.Denials;
import io.channels4j.middleware.BaseMiddleware;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits how many messages each WebSocket connection may send: a token bucket per connection, {@code
 * perSecond} messages a second with bursts of {@code burst}. A message over the limit either closes the
 * connection with 1008 (policy violation) or is dropped, by {@link OverLimit}; either way one WARN line names
 * the rule and the client (a dropping connection logs its first drop, then one line each time it goes back
 * over the limit after keeping to it).
 *
 * <pre>{@code
 * Application ws = RateLimitMiddleware.of(router, 10, 10, RateLimitMiddleware.OverLimit.CLOSE);
 * }</pre>
 *
 * <p>Only {@code websocket.receive} events count; other scopes pass untouched.
 */
public final class RateLimitMiddleware extends BaseMiddleware {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimitMiddleware.class);

  /** The close code for a connection over the limit: policy violation. */
  public static final int CLOSE_CODE = 1008;

  /** What happens to a message over the limit. */
  public enum OverLimit {
    /** The connection is closed with 1008; the message is not delivered. */
    CLOSE,
    /** The message is not delivered; the connection stays open. */
    DROP
  }

  private final double perSecond;
  private final int burst;
  private final OverLimit overLimit;
  private final LongSupplier nanoTime;

  private RateLimitMiddleware(Application inner, double perSecond, int burst, OverLimit overLimit, LongSupplier nanoTime) {
    super(inner);
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException(
          "rate limit must be positive with a burst of at least 1, got " + perSecond + "/s burst " + burst);
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.overLimit = Objects.requireNonNull(overLimit, "overLimit");
    this.nanoTime = nanoTime;
  }

  /**
   * Wraps {@code inner}, allowing each connection {@code perSecond} messages a second in bursts of {@code
   * burst}.
   *
   * @param inner the application to wrap
   * @param perSecond the per second
   * @param burst the burst
   * @param overLimit the over limit
   * @return the rate limit middleware
   */
  public static RateLimitMiddleware of(Application inner, double perSecond, int burst, OverLimit overLimit) {
    return new RateLimitMiddleware(inner, perSecond, burst, overLimit, System::nanoTime);
  }

  static RateLimitMiddleware of(Application inner, double perSecond, int burst, OverLimit overLimit, LongSupplier nanoTime) {
    return new RateLimitMiddleware(inner, perSecond, burst, overLimit, nanoTime);
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    if (!Scope.WEBSOCKET.equals(scope.type())) {
      return inner().handle(scope, receive, send);
    }
    return inner().handle(scope, new Limited(scope, receive, send), send);
  }

  /** One connection's receive, with its bucket. Events arrive one at a time, so no lock is needed. */
  private final class Limited implements Receive {
    private final Scope scope;
    private final Receive receive;
    private final Send send;
    private final TokenBucket bucket = new TokenBucket(perSecond, burst, nanoTime);
    private boolean dropping;
    private boolean closed;

    Limited(Scope scope, Receive receive, Send send) {
      this.scope = scope;
      this.receive = receive;
      this.send = send;
    }

    @Override
    public CompletionStage<Message> receive() {
      CompletableFuture<Message> next = new CompletableFuture<>();
      pump(next);
      return next;
    }

    /**
     * Completes {@code next} with the first event to deliver. Events already queued are taken in a loop,
     * not by recursion, so a flood of dropped messages never deepens the stack.
     */
    private void pump(CompletableFuture<Message> next) {
      while (true) {
        CompletableFuture<Message> event = receive.receive().toCompletableFuture();
        if (!event.isDone()) {
          event.whenComplete((m, error) -> {
            if (error != null) {
              next.completeExceptionally(error);
            } else if (deliver(m)) {
              next.complete(m);
            } else {
              pump(next);
            }
          });
          return;
        }
        Message m;
        try {
          m = event.join();
        } catch (RuntimeException e) {
          next.completeExceptionally(e.getCause() != null ? e.getCause() : e);
          return;
        }
        if (deliver(m)) {
          next.complete(m);
          return;
        }
      }
    }

    /** True if {@code m} goes to the application; false if the limit swallows it. */
    private boolean deliver(Message m) {
      if (!m.type().equals("websocket.receive")) {
        return true;
      }
      if (closed) {
        return false;
      }
      if (bucket.tryTake()) {
        dropping = false;
        return true;
      }
      if (overLimit == OverLimit.CLOSE) {
        closed = true;
        log("closing it with " + CLOSE_CODE);
        send.send(Message.of("websocket.close", "code", CLOSE_CODE)); // a failure means the client is gone already
      } else if (!dropping) {
        dropping = true;
        log("dropping its messages until it keeps to the limit");
      }
      return false;
    }

    private void log(String action) {
      LOG.warn("WebSocket {} from {} went over the rate limit of {}/s (burst {}): {}", Denials.quote(scope.path()),
          Clients.text(scope), perSecond, burst, action);
    }
  }

  @Override
  public String toString() {
    return "RateLimitMiddleware[" + perSecond + "/s, burst " + burst + ", " + overLimit + "](" + inner() + ")";
  }
}
