package io.channels4j.undertow;

import io.channels4j.internal.LogText;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.xnio.XnioIoThread;
import org.slf4j.LoggerFactory;

/**
 * One connection between Undertow and one application instance: the {@link Send} the application
 * gets, plus the {@link Inbox} it receives from. Released (no longer counted) when both the transport
 * and the application are done, or a while after the transport is done if the application hangs.
 */
abstract class Bridge implements Send {

  static final Logger LOG = LoggerFactory.getLogger(ChannelsHandler.class);

  final ChannelsHandler handler;
  final Settings settings;
  /** The request; a WebSocket drops it once upgraded (an idle connection keeps no HTTP state). */
  HttpServerExchange exchange;
  final XnioIoThread ioThread;
  final Inbox inbox;
  final long startNanos = System.nanoTime();
  Scope scope;
  private boolean appDone; // guarded by this, as the next three
  private boolean transportDone;
  private volatile CompletionStage<Void> appStage;
  private boolean released;
  private CompletableFuture<Void> whenReleased; // made when asked for (shutdown): most connections never are

  Bridge(ChannelsHandler handler, HttpServerExchange exchange) {
    this(handler, exchange, new Inbox());
  }

  Bridge(ChannelsHandler handler, HttpServerExchange exchange, Inbox inbox) {
    this.handler = handler;
    this.settings = handler.settings;
    this.exchange = exchange;
    this.ioThread = exchange.getIoThread();
    this.inbox = inbox;
  }

  /** Starts serving; called on the I/O thread inside {@code handleRequest}. */
  abstract void start();

  /** Graceful shutdown: ask the client and the application to finish. */
  abstract void goingAway();

  /** The application's stage completed; {@code error} is null on success. Any thread. */
  abstract void appFinished(Throwable error);

  final String path() {
    return scope == null ? exchange.getRequestPath() : scope.path();
  }

  /** Starts the application on the executor. */
  final void runApplication() {
    try {
      settings.executor.execute(this::invokeApplication);
    } catch (RuntimeException e) {
      finishApp(e);
    }
  }

  private void invokeApplication() {
    CompletionStage<Void> stage;
    try {
      stage = settings.application.handle(scope, inbox, this);
      if (stage == null) {
        throw new NullPointerException("Application.handle returned null for " + scope.type() + " " + path());
      }
    } catch (RuntimeException | Error e) {
      stage = CompletableFuture.failedFuture(e);
    }
    appStage = stage;
    stage.whenComplete((v, e) -> finishApp(e));
  }

  private void finishApp(Throwable error) {
    try {
      appFinished(error == null ? null : unwrap(error));
    } finally {
      boolean release;
      synchronized (this) {
        appDone = true;
        release = transportDone;
      }
      if (release) {
        release();
      }
    }
  }

  /** The connection is over (response sent, socket closed, handshake refused). Idempotent. */
  final void transportDone() {
    boolean release;
    synchronized (this) {
      if (transportDone) {
        return;
      }
      transportDone = true;
      release = appDone;
    }
    if (release) {
      release();
      return;
    }
    long grace = settings.applicationCloseTimeout.toMillis();
    ioThread.executeAfter(() -> {
      synchronized (this) {
        if (appDone) {
          return;
        }
      }
      LOG.warn("Application for {} {} had not finished {} ms after its disconnect (applicationCloseTimeout); "
          + "cancelling it and no longer counting it", scope == null ? "?" : scope.type(), LogText.escape(path()), grace);
      release();
      cancelApplication();
    }, grace, TimeUnit.MILLISECONDS);
  }

  /** Cancels the application's stage (Daphne cancels its task): a stage that cannot be cancelled is left running. */
  private void cancelApplication() {
    CompletionStage<Void> stage = appStage;
    if (stage != null) {
      try {
        stage.toCompletableFuture().cancel(true);
      } catch (UnsupportedOperationException e) {
        LOG.debug("Application stage for {} cannot be cancelled", LogText.escape(path()));
      }
    }
  }

  /** Neither transport nor application will run (refused before the application started). */
  final void releaseNow() {
    synchronized (this) {
      appDone = true;
      transportDone = true;
    }
    release();
  }

  private void release() {
    CompletableFuture<Void> f;
    synchronized (this) {
      if (released) {
        return;
      }
      released = true;
      f = whenReleased;
    }
    handler.released(this);
    if (f != null) {
      f.complete(null);
    }
  }

  final synchronized CompletableFuture<Void> whenReleased() {
    if (whenReleased == null) {
      whenReleased = released ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
    }
    return whenReleased;
  }

  static CompletionStage<Void> failed(RuntimeException e) {
    return CompletableFuture.failedFuture(e);
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
