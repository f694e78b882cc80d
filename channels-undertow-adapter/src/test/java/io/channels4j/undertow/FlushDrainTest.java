package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Frames sent to many connections from threads other than the I/O threads (as a channel layer
 * delivers a group message) all arrive, each connection's in order, though the connections of one
 * I/O thread share one flush task per burst ({@link FlushDrain}).
 */
class FlushDrainTest {

  static final List<Fan> OPEN = new CopyOnWriteArrayList<>();
  static final int CLIENTS = 40;
  static final int FRAMES = 300;
  ChannelsServer server;
  ExecutorService senders;

  @AfterEach
  void stop() throws InterruptedException {
    if (senders != null) {
      senders.shutdownNow();
      assertThat(senders.awaitTermination(5, TimeUnit.SECONDS)).as("sender threads ended").isTrue();
    }
    if (server != null) {
      server.stop();
    }
    OPEN.clear();
  }

  /** Accepts and registers itself; sends nothing on its own. */
  public static final class Fan extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      return accept().thenRun(() -> OPEN.add(this));
    }

    @Override
    public CompletionStage<Void> receive(String text, byte[] bytes) {
      return Application.done();
    }

    void push(String text) {
      send(text);
    }
  }

  @Test
  void burstsToManyConnectionsFromOtherThreadsArriveCompleteAndInOrder() throws Exception {
    server = ChannelsServer.builder(AsyncConsumer.asApplication(Fan::new)).port(0)
        .shutdownTimeout(Duration.ofSeconds(2)).build().start();
    List<WsRecorder> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(WsRecorder.open("ws://127.0.0.1:" + server.port() + "/"));
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> OPEN.size() == CLIENTS);

    // two sender threads, like two layer threads: each sends its own numbered sequence to everyone
    senders = Executors.newFixedThreadPool(2);
    for (String sender : List.of("a", "b")) {
      senders.execute(() -> {
        for (int n = 0; n < FRAMES; n++) {
          for (Fan f : OPEN) {
            f.push(sender + n);
          }
        }
      });
    }

    for (WsRecorder c : clients) {
      int nextA = 0;
      int nextB = 0;
      for (int i = 0; i < 2 * FRAMES; i++) {
        String t = c.nextText();
        int n = Integer.parseInt(t.substring(1));
        if (t.charAt(0) == 'a') {
          assertThat(n).as("sender a's frames in order").isEqualTo(nextA++);
        } else {
          assertThat(n).as("sender b's frames in order").isEqualTo(nextB++);
        }
      }
      assertThat(nextA).isEqualTo(FRAMES);
      assertThat(nextB).isEqualTo(FRAMES);
    }
  }
}
