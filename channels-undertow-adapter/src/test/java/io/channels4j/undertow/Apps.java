package io.channels4j.undertow;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Small raw applications for tests: a receive loop calling a handler per event. */
final class Apps {

  /** Handles one event; returns false to stop the loop. */
  interface Handler {
    boolean on(Scope scope, Message event, Send send) throws Exception;
  }

  private Apps() {}

  /** Loops over events until the handler returns false or a disconnect arrives (handled, then stops). */
  static Application loop(Handler handler) {
    return (scope, receive, send) -> {
      CompletableFuture<Void> done = new CompletableFuture<>();
      next(scope, receive, send, handler, done);
      return done;
    };
  }

  private static void next(Scope scope, Receive receive, Send send, Handler handler, CompletableFuture<Void> done) {
    CompletionStage<Message> r = receive.receive();
    r.whenComplete((m, err) -> {
      if (err != null) {
        done.completeExceptionally(err);
        return;
      }
      try {
        boolean more = handler.on(scope, m, send);
        if (!more || m.type().endsWith(".disconnect")) {
          done.complete(null);
        } else {
          next(scope, receive, send, handler, done);
        }
      } catch (Exception | Error e) {
        done.completeExceptionally(e);
      }
    });
  }
}
