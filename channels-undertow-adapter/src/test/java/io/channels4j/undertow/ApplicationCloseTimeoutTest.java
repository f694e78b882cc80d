package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.Message;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ApplicationCloseTimeoutTest extends LiveServerTest {

  @Test
  void anApplicationThatIgnoresItsDisconnectIsCancelledAfterTheTimeout() throws Exception {
    CompletableFuture<Void> stage = new CompletableFuture<>(); // never completed by the application
    CompletableFuture<Message> disconnect = new CompletableFuture<>();
    Application app = (scope, receive, send) -> {
      receive.receive().thenAccept(connect -> send.send(Message.of("websocket.accept")))
          .thenCompose(v -> receive.receive()).thenAccept(disconnect::complete);
      return stage;
    };
    int port = start(ChannelsServer.builder(app).handlerOptions(h -> h.applicationCloseTimeout(Duration.ofSeconds(1))));
    WsRecorder ws = WsRecorder.open("ws://127.0.0.1:" + port + "/ws");
    ws.socket.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
    assertThat(disconnect.get(5, TimeUnit.SECONDS).type()).isEqualTo("websocket.disconnect");
    long t0 = System.nanoTime();
    await(stage::isCancelled, "the application's stage cancelled");
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(500L, 5_000L);
    await(() -> server.handler().activeConnections() == 0, "the connection no longer counted");
  }
}
