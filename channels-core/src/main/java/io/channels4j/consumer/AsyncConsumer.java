package io.channels4j.consumer;

import io.channels4j.Application;
import io.channels4j.ChannelsException;
import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.LogText;
import io.channels4j.internal.Threads;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import java.lang.invoke.MethodHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every consumer: one instance per connection, dispatching each event, from the client or
 * from the channel layer, to the handler named after its type.
 *
 * <p><b>Dispatch.</b> An event of type {@code chat.message} (or {@code chat_message}) goes to the
 * instance method {@code chatMessage(Message)} (or {@code chat_message(Message)}). Handlers return {@code
 * void} or a {@link CompletionStage}; they are found once per class. An event with no handler fails with
 * "No handler for message type X in consumer C". Every event goes through {@link #dispatch(Message)}, which
 * a subclass can override to see (or intercept) every event.
 *
 * <p><b>Ordering.</b> Events are handled one at a time, in arrival order: the next event is taken only
 * when the stage returned by the previous handler completes.
 *
 * <p><b>Channel layer.</b> If a layer is registered under {@link #channelLayerAlias()} (see {@link
 * ChannelLayers}), the consumer gets a {@link #channelName()} from it and receives that channel's messages
 * as events, like client events.
 *
 * <p><b>Errors.</b> A handler that throws (or whose stage fails) ends the connection: the failure is
 * logged with the path and the consumer class, {@link #onError(Throwable)} answers the client (WebSocket
 * close 1011, HTTP 500), the application's stage fails with the error, and nothing else is affected.
 *
 * <p>Handlers of an {@code AsyncConsumer} run on whatever thread delivered the event and must not block;
 * extend {@link SyncConsumer} (or {@link WebsocketConsumer}) for blocking code, or hand a blocking call to
 * {@link #blocking(Callable)} (Channels' {@code database_sync_to_async}).
 *
 * <p>A handler may throw {@link ChannelsException.StopConsumer} to end the consumer without an error.
 */
public abstract class AsyncConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncConsumer.class);

  private final ConcurrentLinkedQueue<Event> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile boolean busy;
  private volatile boolean stopped;
  /** True once a websocket.accept, websocket.close or denial response has been sent: the handshake is answered. */
  private volatile boolean answered;
  private volatile CompletableFuture<Message> clientReceive;
  private volatile CompletableFuture<Message> layerReceive;

  private Scope scope;
  private Send send;
  private Receive receive;
  private ChannelLayer channelLayer;
  private String channelName;

  /** Creates a consumer; subclasses are instantiated once per connection. */
  protected AsyncConsumer() {}

  /**
   * Makes an {@link Application} that creates a new consumer from {@code factory} for every connection:
   * the Java form of Channels' {@code Consumer.as_asgi()}.
   *
   * <pre>{@code
   * Application app = AsyncConsumer.asApplication(ChatConsumer::new);
   * }</pre>
   *
   * @param factory the factory
   * @return the application
   */
  public static Application asApplication(Supplier<? extends AsyncConsumer> factory) {
    Objects.requireNonNull(factory, "factory");
    return (scope, receive, send) -> {
      AsyncConsumer consumer = Objects.requireNonNull(factory.get(), "consumer factory returned null");
      return consumer.run(scope, receive, send);
    };
  }

  /** {@return the alias of the channel layer this consumer uses; {@code "default"} unless overridden} */
  protected String channelLayerAlias() {
    return ChannelLayers.DEFAULT;
  }

  /** {@return this connection's scope} */
  public final Scope scope() {
    return scope;
  }

  /** {@return this consumer's channel name on the layer, or null if no layer is configured} */
  public final String channelName() {
    return channelName;
  }

  /**
   * True if a channel layer is configured for this consumer.
   *
   * @return {@code true} if a channel layer is configured for this consumer
   */
  public final boolean hasChannelLayer() {
    return channelLayer != null;
  }

  /**
   * The channel layer.
   *
   * @return the channel layer
   * @throws IllegalStateException if no layer is registered under {@link #channelLayerAlias()}
   */
  public final ChannelLayer channelLayer() {
    if (channelLayer == null) {
      throw new IllegalStateException(
          "no channel layer is registered under alias '" + channelLayerAlias() + "' for consumer "
              + getClass().getName() + "; register one with ChannelLayers.set(\"" + channelLayerAlias()
              + "\", layer)");
    }
    return channelLayer;
  }

  /**
   * Sends an event to the client (through the server).
   *
   * @param message the message
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> send(Message message) {
    if (!answered && answers(message.type())) {
      answered = true;
    }
    return send.send(message);
  }

  private static boolean answers(String type) {
    return type.equals("websocket.accept") || type.equals("websocket.close")
        || type.startsWith("websocket.http.response");
  }

  /** True once this consumer has answered a WebSocket handshake (accept, close or a denial response). */
  final boolean handshakeAnswered() {
    return answered;
  }

  /**
   * Where blocking work runs: the handlers of a {@link SyncConsumer}, and {@link #blocking(Callable)}. The
   * default is a virtual thread per task on Java 21+, else a shared pool of {@code max(32, 8 x cores)} daemon
   * threads with an unbounded queue. Override to inject another executor, e.g. a bounded one sized to a
   * database connection pool.
   *
   * @return the executor
   */
  protected Executor executor() {
    return Threads.blockingExecutor();
  }

  /**
   * Runs blocking {@code work} on {@link #executor()}, off the thread that delivered the event, and returns
   * its result as a stage: the Java form of Channels' {@code database_sync_to_async}.
   *
   * <pre>{@code
   * public CompletionStage<Void> receive(String text, byte[] bytes) {
   *   return blocking(() -> repository.save(text)).thenCompose(id -> send("saved " + id));
   * }
   * }</pre>
   *
   * <p>Calls are not bounded by default: on virtual threads each call gets its own thread, on the fallback
   * pool calls queue for one of its threads. To cap concurrent calls, override {@link #executor()}. What the
   * stage's continuations run on is the blocking thread; that is fine for non-blocking continuations.
   *
   * @param <T> the result type
   * @param work the blocking work; a checked exception it throws fails the stage as is
   * @return a stage with the work's result or failure
   */
  protected <T> CompletionStage<T> blocking(Callable<T> work) {
    return blocking(work, executor());
  }

  /**
   * Runs blocking {@code work} on {@code executor} and returns its result as a stage; for code outside a
   * consumer (middleware, say). Pass {@code null} for the default executor (see {@link #executor()}).
   *
   * @param <T> the result type
   * @param work the blocking work; a checked exception it throws fails the stage as is
   * @param executor where it runs, or {@code null} for the default
   * @return a stage with the work's result or failure
   */
  public static <T> CompletionStage<T> blocking(Callable<T> work, Executor executor) {
    Objects.requireNonNull(work, "work");
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable task = () -> {
      try {
        result.complete(work.call());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    };
    try {
      (executor == null ? Threads.blockingExecutor() : executor).execute(task);
    } catch (RuntimeException e) {
      result.completeExceptionally(e); // e.g. RejectedExecutionException from a bounded executor
    }
    return result;
  }

  /** Ends this consumer once the current handler finishes: the Java form of {@code raise StopConsumer}. */
  protected final void stop() {
    stopped = true;
    cancel(clientReceive);
    cancel(layerReceive);
  }

  /**
   * Answers the client after a handler failed; the failure has been logged. The default does nothing;
   * WebSocket consumers close with 1011 and HTTP consumers answer 500.
   *
   * @param error the error
   * @return a stage that completes when this is done
   */
  protected CompletionStage<Void> onError(Throwable error) {
    return Application.done();
  }

  /**
   * Hands one event to {@link #dispatch(Message)}. {@link SyncConsumer} overrides this to run it on its own
   * thread.
   */
  CompletionStage<Void> deliver(Message message) {
    return dispatch(message);
  }

  /**
   * Routes one event to the handler named after its type (Channels' {@code dispatch}). Every event, from
   * the client or the channel layer, comes through here, one at a time; override to see or intercept them
   * all, and call {@code super.dispatch(message)} to handle one as usual. In a {@link SyncConsumer} this
   * runs on the handler's thread and may block.
   *
   * @param message the event
   * @return a stage that completes when the handler is done
   * @throws IllegalArgumentException if the type starts with {@code _} or has no handler
   */
  @SuppressWarnings("unchecked")
  protected CompletionStage<Void> dispatch(Message message) {
    String type = message.type();
    if (type.startsWith("_")) {
      throw new IllegalArgumentException("Malformed type in message (leading underscore): " + type);
    }
    MethodHandle handler = Handlers.of(getClass()).find(type);
    if (handler == null) {
      throw new IllegalArgumentException(
          "No handler for message type " + type + " in consumer " + getClass().getName());
    }
    Object result;
    try {
      result = handler.invoke((Object) this, message);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new CompletionException(t);
    }
    return result == null ? Application.done() : (CompletionStage<Void>) result;
  }

  final CompletionStage<Void> run(Scope scope, Receive receive, Send send) {
    this.scope = Objects.requireNonNull(scope, "scope");
    this.receive = Objects.requireNonNull(receive, "receive");
    this.send = Objects.requireNonNull(send, "send");
    this.channelLayer = ChannelLayers.get(scope, channelLayerAlias()).orElse(null);
    if (channelLayer == null) {
      pumpClient();
    } else {
      channelLayer
          .newChannel()
          .whenComplete(
              (name, err) -> {
                if (err != null) {
                  fail(err);
                  return;
                }
                channelName = name;
                pumpClient();
                pumpLayer();
              });
    }
    return done;
  }

  private void pumpClient() {
    if (stopped) {
      return;
    }
    CompletableFuture<Message> f;
    try {
      f = receive.receive().toCompletableFuture();
    } catch (RuntimeException e) {
      fail(e);
      return;
    }
    clientReceive = f;
    f.whenComplete((m, err) -> arrived(true, m, err));
  }

  private void pumpLayer() {
    if (stopped) {
      return;
    }
    CompletableFuture<Message> f = channelLayer.receive(channelName).toCompletableFuture();
    layerReceive = f;
    f.whenComplete((m, err) -> arrived(false, m, err));
  }

  private void arrived(boolean fromClient, Message m, Throwable err) {
    if (err != null) {
      if (stopped && isCancellation(err)) {
        return;
      }
      fail(err);
      return;
    }
    inbox.add(new Event(fromClient, m));
    drain();
  }

  private void drain() {
    if (wip.getAndIncrement() != 0) {
      return;
    }
    do {
      while (!busy && !done.isDone()) {
        Event e = inbox.poll();
        if (e == null) {
          break;
        }
        busy = true;
        process(e);
      }
    } while (wip.decrementAndGet() != 0);
  }

  private void process(Event e) {
    CompletionStage<Void> stage;
    try {
      stage = deliver(e.message());
    } catch (RuntimeException | Error ex) {
      stage = CompletableFuture.failedFuture(ex);
    }
    stage.whenComplete(
        (v, err) -> {
          if (err != null) {
            Throwable cause = unwrap(err);
            if (cause instanceof ChannelsException.StopConsumer) {
              finish(null);
            } else {
              handlerFailed(e.message(), cause);
            }
            return;
          }
          if (stopped) {
            finish(null);
            return;
          }
          busy = false;
          if (e.fromClient()) {
            pumpClient();
          } else {
            pumpLayer();
          }
          drain();
        });
  }

  private void handlerFailed(Message message, Throwable error) {
    LOG.error(
        "Consumer {} failed handling {} on {} {}; closing this connection",
        getClass().getName(), LogText.escape(message.type()), scope.type(), where(), error);
    stop();
    CompletionStage<Void> answer;
    try {
      answer = onError(error);
    } catch (RuntimeException ex) {
      answer = CompletableFuture.failedFuture(ex);
    }
    answer.whenComplete((v, err) -> finish(error));
  }

  /** The path (escaped), or the channel for worker scopes: where a log line says the failure happened. */
  private String where() {
    return LogText.escape(scope.channel().orElse(scope.path()));
  }

  private void fail(Throwable err) {
    Throwable cause = unwrap(err);
    if (!stopped && cause instanceof CancellationException) {
      // the server or worker withdrew a pending receive (it is stopping, or this instance is idle): expected
      LOG.debug("Consumer {} on {} {} stopped: its receive was cancelled", getClass().getName(), scope.type(), where());
    } else if (!stopped) {
      LOG.warn("Consumer {} on {} {} stopped: {}", getClass().getName(), scope.type(), where(), LogText.escape(cause.toString()));
    }
    stop();
    finish(cause);
  }

  private void finish(Throwable error) {
    stopped = true;
    cancel(clientReceive);
    cancel(layerReceive);
    if (error == null) {
      done.complete(null);
    } else {
      done.completeExceptionally(error);
    }
  }

  private static void cancel(CompletableFuture<Message> f) {
    if (f != null) {
      f.cancel(false);
    }
  }

  static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isCancellation(Throwable t) {
    return unwrap(t) instanceof CancellationException;
  }

  private record Event(boolean fromClient, Message message) {}
}
