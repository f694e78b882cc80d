package io.channels4j.middleware;

import io.channels4j.Application;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An application wrapping another one, usually to add to the scope: the Java form of Channels' {@code
 * BaseMiddleware}. Since {@link Scope} is immutable, changes never leak to the caller's scope.
 *
 * <pre>{@code
 * public final class TenantMiddleware extends BaseMiddleware {
 *   public TenantMiddleware(Application inner) {
 *     super(inner);
 *   }
 *
 *   protected Scope enrichScope(Scope scope) {
 *     return scope.with("tenant", scope.header("x-tenant").orElse("public"));
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #handle} derives the inner scope with {@link #resolveScope} (by default {@link #enrichScope}),
 * wraps {@code send} with {@link #wrapSend}, and runs the inner application. Override {@code handle} itself
 * to decide whether the inner application runs at all.
 *
 * <p>One instance serves every connection, possibly concurrently: keep per-connection state in the scope
 * or in the {@code Send} wrapper, never in fields.
 */
public abstract class BaseMiddleware implements Application {

  private final Application inner;

  /**
   * Wraps {@code inner}.
   *
   * @param inner the application to wrap
   */
  protected BaseMiddleware(Application inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  /** {@return the wrapped application} */
  public final Application inner() {
    return inner;
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    CompletionStage<Scope> derived;
    try {
      derived = resolveScope(scope);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return derived.thenCompose(s -> inner.handle(s, receive, wrapSend(s, send)));
  }

  /**
   * Derives the scope the inner application sees, synchronously. The default returns {@code scope}
   * unchanged.
   *
   * @param scope the connection scope
   * @return the scope the inner application sees
   */
  protected Scope enrichScope(Scope scope) {
    return scope;
  }

  /**
   * Derives the scope the inner application sees, when that needs I/O (loading a session, resolving a
   * user). The default completes with {@link #enrichScope(Scope)}.
   *
   * @param scope the connection scope
   * @return a stage with the scope the inner application sees
   */
  protected CompletionStage<Scope> resolveScope(Scope scope) {
    return CompletableFuture.completedFuture(enrichScope(scope));
  }

  /**
   * Wraps the {@code send} the inner application uses, e.g. to add a header to {@code http.response.start}.
   * The default returns {@code send} unchanged.
   *
   * @param scope the scope the inner application sees
   * @param send the server's send
   * @return the send the inner application uses
   */
  protected Send wrapSend(Scope scope, Send send) {
    return send;
  }
}
