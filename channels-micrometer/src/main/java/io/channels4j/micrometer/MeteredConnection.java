package io.channels4j.micrometer;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection seen through its events: a WebSocket opens when accepted and closes with the code of the
 * disconnect (or of the close it sent, or 1006); an HTTP request opens at once and closes with its status.
 */
final class MeteredConnection {

  private static final int ABNORMAL_CLOSURE = 1006;

  private final ChannelsMeters.Protocol meters;
  private final boolean websocket;
  private final AtomicBoolean opened = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile int code = ABNORMAL_CLOSURE;

  private MeteredConnection(ChannelsMeters.Protocol meters, boolean websocket) {
    this.meters = meters;
    this.websocket = websocket;
  }

  static CompletionStage<Void> run(ChannelsMeters.Protocol meters, boolean websocket, Application application,
      Scope scope, Receive receive, Send send) {
    MeteredConnection c = new MeteredConnection(meters, websocket);
    if (!websocket) {
      c.open();
      c.code = 500;
    }
    Receive counted = () -> Relay.watch(receive.receive(), (m, error) -> c.in(m));
    Send counting = m -> send.send(c.out(m));
    CompletionStage<Void> done;
    try {
      done = application.handle(scope, counted, counting);
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
    return done.whenComplete((v, e) -> c.close());
  }

  private void in(Message m) {
    if (m == null) {
      return;
    }
    switch (m.type()) {
      case "websocket.receive", "http.request" -> meters.in.increment();
      case "websocket.disconnect" -> {
        code = m.getInt("code", ABNORMAL_CLOSURE);
        close();
      }
      default -> { }
    }
  }

  private Message out(Message m) {
    switch (m.type()) {
      case "websocket.accept" -> open();
      case "websocket.send", "http.response.body" -> meters.out.increment();
      case "websocket.close" -> code = m.getInt("code", 1000);
      case "http.response.start" -> code = m.getInt("status", 200);
      default -> { }
    }
    return m;
  }

  private void open() {
    if (opened.compareAndSet(false, true)) {
      meters.open.incrementAndGet();
      meters.opened.increment();
    }
  }

  /** Once, and only for a connection that opened (a refused WebSocket handshake never did). */
  private void close() {
    if (opened.get() && closed.compareAndSet(false, true)) {
      meters.closed(code);
    }
  }

  @Override
  public String toString() {
    return (websocket ? "websocket" : "http") + " connection (" + (closed.get() ? "closed " + code : "open") + ")";
  }
}
