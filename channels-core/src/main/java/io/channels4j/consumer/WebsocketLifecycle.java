package io.channels4j.consumer;

import io.channels4j.Application;
import io.channels4j.ChannelsException;
import io.channels4j.internal.Denials;
import io.channels4j.internal.Futures;
import io.channels4j.internal.LogText;
import io.channels4j.layers.ChannelLayerUnavailableException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket connection lifecycle, written once for {@link WebsocketConsumer} and {@link
 * AsyncWebsocketConsumer}:
 *
 * <ul>
 *   <li>connect: join the consumer's groups, then call its {@code connect()}; if that throws {@link
 *       ChannelsException.AcceptConnection} call {@code accept()}, if {@link ChannelsException.DenyConnection}
 *       call {@code close()}; if the channel layer is unavailable, refuse the handshake with 503 (or close
 *       1013) and one WARN line;
 *   <li>disconnect: leave the groups, call {@code disconnect(code)}, then stop the consumer;
 *   <li>error: close with 1011 (only once the handshake was answered: before that, nothing is sent and the
 *       consumer fails, so the server answers the handshake with 500 as Daphne does), then leave the groups;
 *       the consumer ends when both are done.
 * </ul>
 *
 * <p>The two families differ only in how one step follows another ({@link Steps}).
 */
final class WebsocketLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(AsyncConsumer.class);

  /** Close code asking the client to try again later (RFC 6455 registry). */
  static final int TRY_AGAIN_LATER = 1013;

  private WebsocketLifecycle() {}

  /**
   * How a step follows the previous one. {@code ASYNC} composes stages. {@code SYNC} waits on the
   * consumer's own thread, so blocking user code never runs on a channel layer's or server's I/O thread.
   */
  enum Steps {
    ASYNC {
      @Override
      CompletionStage<Void> then(CompletionStage<Void> first, Supplier<CompletionStage<Void>> next,
          Function<Throwable, CompletionStage<Void>> recover) {
        return first.handle((v, e) -> e == null ? next.get() : recover.apply(AsyncConsumer.unwrap(e)))
            .thenCompose(Function.identity());
      }

      @Override
      CompletionStage<Void> andFinally(Supplier<CompletionStage<Void>> body, Runnable after) {
        CompletionStage<Void> stage;
        try {
          stage = body.get();
        } catch (RuntimeException | Error e) {
          after.run();
          throw e;
        }
        return stage.whenComplete((v, e) -> after.run());
      }
    },
    SYNC {
      @Override
      CompletionStage<Void> then(CompletionStage<Void> first, Supplier<CompletionStage<Void>> next,
          Function<Throwable, CompletionStage<Void>> recover) {
        try {
          Futures.await(first);
        } catch (RuntimeException e) {
          Futures.await(recover.apply(AsyncConsumer.unwrap(e)));
          return Application.done();
        }
        Futures.await(next.get());
        return Application.done();
      }

      @Override
      CompletionStage<Void> andFinally(Supplier<CompletionStage<Void>> body, Runnable after) {
        try {
          Futures.await(body.get());
        } finally {
          after.run();
        }
        return Application.done();
      }
    };

    /** Runs {@code next} after {@code first} succeeds, {@code recover} with its failure otherwise. */
    abstract CompletionStage<Void> then(CompletionStage<Void> first, Supplier<CompletionStage<Void>> next,
        Function<Throwable, CompletionStage<Void>> recover);

    /** Runs {@code body}, then {@code after} however it ended. */
    abstract CompletionStage<Void> andFinally(Supplier<CompletionStage<Void>> body, Runnable after);
  }

  /** What a consumer does for the control-flow exceptions of its {@code connect()}: its own accept and close. */
  record Answers(Supplier<CompletionStage<Void>> accept, Supplier<CompletionStage<Void>> close) {}

  /** {@code websocket.connect}: joins {@code groups}, then runs {@code connect}. */
  static CompletionStage<Void> connect(AsyncConsumer consumer, List<String> groups, Steps steps,
      Supplier<CompletionStage<Void>> connect, Answers answers) {
    return steps.then(eachGroup(consumer, groups, true), refusingIfLayerDown(consumer, groups, connect, answers),
        error -> refuse(consumer, groups, error));
  }

  /**
   * The consumer's own {@code connect}, which usually joins its room's group itself (as the tutorial's
   * does): a layer outage there is refused like one in {@link AsyncConsumer#groups()}.
   */
  private static Supplier<CompletionStage<Void>> refusingIfLayerDown(AsyncConsumer consumer, List<String> groups,
      Supplier<CompletionStage<Void>> connect, Answers answers) {
    return () -> {
      CompletionStage<Void> stage;
      try {
        stage = connect.get();
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      return stage.exceptionallyCompose(e -> {
        Throwable cause = AsyncConsumer.unwrap(e);
        if (cause instanceof ChannelsException.AcceptConnection) {
          return answers.accept().get();
        }
        if (cause instanceof ChannelsException.DenyConnection) {
          return answers.close().get();
        }
        return refuse(consumer, groups, cause);
      });
    };
  }

  /** {@code websocket.disconnect}: leaves {@code groups}, runs {@code disconnect}, then stops the consumer. */
  static CompletionStage<Void> disconnect(AsyncConsumer consumer, List<String> groups, Steps steps,
      Supplier<CompletionStage<Void>> disconnect) {
    return steps.andFinally(
        () -> steps.then(eachGroup(consumer, groups, false), disconnect, CompletableFuture::failedFuture),
        consumer::stop);
  }

  /**
   * After a handler failed: closes with 1011, then leaves {@code groups}; completes (never fails) when
   * both are done, so the consumer ends only once its memberships are gone. While the handshake is still
   * unanswered (an exception in {@code connect()}) nothing is sent: the consumer's failure makes the server
   * answer HTTP 500, as Daphne does, rather than the 403 of a close before accept.
   */
  static CompletionStage<Void> onError(AsyncConsumer consumer, List<String> groups) {
    CompletionStage<Void> closed;
    try {
      closed = consumer.handshakeAnswered()
          ? consumer.send(WebsocketSupport.close(WebsocketSupport.INTERNAL_ERROR, "internal error"))
          : Application.done();
    } catch (RuntimeException e) {
      closed = CompletableFuture.failedFuture(e);
    }
    return closed
        .handle((v, e) -> null)
        .thenCompose(v -> consumer.hasChannelLayer() ? eachGroup(consumer, groups, false) : Application.done())
        .exceptionally(e -> null);
  }

  /**
   * The layer failed while joining groups. If it is unavailable, refuses the handshake in a way that
   * tells the client to retry, logs one WARN line and stops the consumer; any other failure goes on to
   * the consumer's error handling.
   */
  private static CompletionStage<Void> refuse(AsyncConsumer consumer, List<String> groups, Throwable error) {
    if (!layerDown(error)) {
      return CompletableFuture.failedFuture(error);
    }
    // connect() may have accepted before the layer failed: then only a close can answer
    boolean denial = Denials.supportsDenialResponse(consumer.scope()) && !consumer.handshakeAnswered();
    LOG.warn("Channel layer unavailable during the WebSocket handshake of {} for path {}: {}; answering {}",
        consumer.getClass().getName(), Denials.quote(consumer.scope().path()), LogText.escape(error.getMessage()),
        denial ? "HTTP 503" : "close 1013 (try again later)");
    consumer.stop();
    // Groups joined before the failure are left, best effort: the layer is likely still down.
    eachGroup(consumer, groups, false).exceptionally(e -> null);
    return denial
        ? Denials.websocketHttpResponse(consumer::send, 503, "Service Unavailable: try again later.\n")
        : consumer.send(WebsocketSupport.close(TRY_AGAIN_LATER, "try again later"));
  }

  /** True if the layer's unavailability caused {@code error} (anywhere in its cause chain). */
  private static boolean layerDown(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof ChannelLayerUnavailableException) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Adds this consumer's channel to every group in {@code groups}, or discards it from each, at once. */
  private static CompletionStage<Void> eachGroup(AsyncConsumer consumer, List<String> groups, boolean add) {
    WebsocketSupport.requireGroups(consumer, groups);
    if (groups.isEmpty()) {
      return Application.done();
    }
    CompletableFuture<?>[] all = new CompletableFuture<?>[groups.size()];
    for (int i = 0; i < all.length; i++) {
      String g = groups.get(i);
      try {
        all[i] = (add ? consumer.channelLayer().groupAdd(g, consumer.channelName())
            : consumer.channelLayer().groupDiscard(g, consumer.channelName())).toCompletableFuture();
      } catch (RuntimeException e) {
        all[i] = CompletableFuture.failedFuture(e);
      }
    }
    return CompletableFuture.allOf(all);
  }
}
