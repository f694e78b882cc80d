package io.channels4j.worker;

import static io.channels4j.routing.Routes.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.internal.AsyncQueue;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.testing.WebsocketCommunicator;
import io.channels4j.routing.ChannelNameRouter;
import io.channels4j.routing.ProtocolTypeRouter;
import io.channels4j.routing.URLRouter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The Worker as runworker uses it: ProtocolTypeRouter + ChannelNameRouter, messages from a layer. */
class WorkerTest {

  /** A test double: one FIFO per channel name; only send and receive are used by a worker. */
  static final class QueueLayer implements ChannelLayer {
    final Map<String, AsyncQueue<Message>> queues = new ConcurrentHashMap<>();
    final CompletableFuture<Message> failure = new CompletableFuture<>();
    final Map<String, CompletableFuture<Message>> lastReceive = new ConcurrentHashMap<>();

    AsyncQueue<Message> queue(String channel) {
      return queues.computeIfAbsent(channel, c -> new AsyncQueue<>());
    }

    @Override
    public CompletionStage<Void> send(String channel, Message message) {
      queue(channel).offer(message);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Message> receive(String channel) {
      if (failure.isDone()) {
        return failure;
      }
      CompletableFuture<Message> f = queue(channel).poll();
      failure.whenComplete((m, e) -> f.completeExceptionally(e));
      lastReceive.put(channel, f);
      return f;
    }

    @Override
    public CompletionStage<String> newChannel(String prefix) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> groupAdd(String group, String channel) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> groupDiscard(String group, String channel) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> groupSend(String group, Message message) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> flush() {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> closeAsync() {
      return CompletableFuture.completedFuture(null);
    }
  }

  /** Records each task it handles; fails on a task named "boom". */
  static final class TaskConsumer extends AsyncConsumer {
    final BlockingQueue<String> log;
    final int instance;

    TaskConsumer(BlockingQueue<String> log, AtomicInteger instances) {
      this.log = log;
      this.instance = instances.incrementAndGet();
    }

    public void taskRun(Message m) {
      if ("boom".equals(m.getString("id"))) {
        throw new IllegalStateException("task failed on purpose");
      }
      log.add(scope().type() + ":" + scope().channel().orElse("?") + ":" + m.getString("id") + "#" + instance);
    }

    public CompletionStage<Void> taskReply(Message m) {
      return send(Message.of("task.done"))
          .whenComplete(
              (v, e) -> {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                log.add("send failed: " + (cause == null ? "no" : cause.getClass().getSimpleName()));
              });
    }
  }

  private final BlockingQueue<String> log = new LinkedBlockingQueue<>();
  private final AtomicInteger instances = new AtomicInteger();
  private final QueueLayer layer = new QueueLayer();
  private final Application app =
      ProtocolTypeRouter.builder()
          .channel(
              ChannelNameRouter.of(
                  Map.of(
                      "thumbnails", AsyncConsumer.asApplication(() -> new TaskConsumer(log, instances)),
                      "emails", AsyncConsumer.asApplication(() -> new TaskConsumer(log, instances)))))
          .build();

  private String next() throws InterruptedException {
    String s = log.poll(1, TimeUnit.SECONDS);
    assertThat(s).as("an event within 1 s").isNotNull();
    return s;
  }

  @Test
  void feedsEachChannelToItsOwnInstanceInOrder() throws Exception {
    layer.send("thumbnails", Message.of("task.run", "id", "t0")); // queued before the worker starts
    try (Worker worker = Worker.start(app, layer, List.of("thumbnails", "emails"))) {
      for (int i = 1; i <= 3; i++) {
        layer.send("thumbnails", Message.of("task.run", "id", "t" + i));
      }
      layer.send("emails", Message.of("task.run", "id", "e1"));

      List<String> seen = List.of(next(), next(), next(), next(), next());
      assertThat(seen.stream().filter(s -> s.contains(":thumbnails:")))
          .containsExactly("channel:thumbnails:t0#1", "channel:thumbnails:t1#1", "channel:thumbnails:t2#1",
              "channel:thumbnails:t3#1");
      assertThat(seen).contains("channel:emails:e1#2");
      assertThat(instances).hasValue(2);
      assertThat(worker.channels()).containsExactly("thumbnails", "emails");
    }
  }

  @Test
  void aFailedInstanceIsReplacedAtTheNextMessage() throws Exception {
    try (Worker worker = Worker.start(app, layer, List.of("thumbnails"))) {
      layer.send("thumbnails", Message.of("task.run", "id", "a"));
      assertThat(next()).isEqualTo("channel:thumbnails:a#1");
      layer.send("thumbnails", Message.of("task.run", "id", "boom"));
      layer.send("thumbnails", Message.of("task.run", "id", "b"));
      assertThat(next()).isEqualTo("channel:thumbnails:b#2");
      assertThat(worker.done().toCompletableFuture()).isNotDone();
    }
  }

  @Test
  void theApplicationCannotSendToAClient() throws Exception {
    try (Worker worker = Worker.start(app, layer, List.of("emails"))) {
      layer.send("emails", Message.of("task.reply"));
      assertThat(next()).isEqualTo("send failed: UnsupportedOperationException");
      assertThat(worker.done().toCompletableFuture()).isNotDone();
    }
  }

  @Test
  void closeStopsListeningAndLeavesLaterMessagesInTheLayer() throws Exception {
    Worker worker = Worker.start(app, layer, List.of("thumbnails"));
    layer.send("thumbnails", Message.of("task.run", "id", "a"));
    assertThat(next()).endsWith(":a#1");
    worker.close();
    worker.close();
    assertThat(worker.done().toCompletableFuture()).isCompleted();
    assertThat(layer.lastReceive.get("thumbnails")).isCancelled();

    layer.send("thumbnails", Message.of("task.run", "id", "late"));
    assertThat(log.poll(100, TimeUnit.MILLISECONDS)).isNull();
    assertThat(layer.queue("thumbnails").size()).isEqualTo(1);
  }

  @Test
  void aLayerFailureStopsTheWorker() {
    Worker worker = Worker.start(app, layer, List.of("thumbnails"));
    IllegalStateException down = new IllegalStateException("layer down");
    layer.failure.completeExceptionally(down);
    assertThatThrownBy(() -> worker.done().toCompletableFuture().get(1, TimeUnit.SECONDS)).hasCause(down);
  }

  @Test
  void channelNamesAreChecked() {
    assertThatThrownBy(() -> Worker.start(app, layer, List.of())).hasMessageContaining("at least one channel");
    assertThatThrownBy(() -> Worker.start(app, layer, List.of("bad name"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad name");
  }

  // --- end to end: a WebSocket consumer hands work to a worker over an in-memory layer -------------

  static final String ALIAS = "worker-test";

  /** Asks the worker for a thumbnail and tells the client when it is done. */
  public static class Requester extends AsyncWebsocketConsumer {
    @Override
    protected String channelLayerAlias() {
      return ALIAS;
    }

    @Override
    public CompletionStage<Void> receive(String textData, byte[] bytesData) {
      return channelLayer()
          .send("thumbnails", Message.of("thumbnail.generate", "image", textData, "reply_to", channelName()));
    }

    public CompletionStage<Void> thumbnailDone(Message m) {
      return send("done " + m.getString("image") + " by " + m.getString("worker"));
    }
  }

  /** Runs in the worker: answers on the requester's channel. */
  public static class Thumbnailer extends AsyncConsumer {
    @Override
    protected String channelLayerAlias() {
      return ALIAS;
    }

    public CompletionStage<Void> thumbnailGenerate(Message m) {
      return channelLayer()
          .send(m.getString("reply_to"),
              Message.of("thumbnail.done", "image", m.getString("image"), "worker", scope().channel().orElseThrow()));
    }
  }

  @Test
  void aConsumerHandsWorkToAWorkerThroughTheLayer() {
    InMemoryChannelLayer memory = InMemoryChannelLayer.create();
    ChannelLayers.set(ALIAS, memory);
    try {
      Application server =
          ProtocolTypeRouter.builder()
              .websocket(URLRouter.of(path("ws/thumbs/", Requester::new)))
              .channel(ChannelNameRouter.of(Map.of("thumbnails", AsyncConsumer.asApplication(Thumbnailer::new))))
              .build();
      try (Worker worker = Worker.start(server, memory, List.of("thumbnails"))) {
        WebsocketCommunicator ws = new WebsocketCommunicator(server, "/ws/thumbs/");
        assertThat(ws.connect().accepted()).isTrue();
        ws.sendTo("cat.png");
        ws.sendTo("dog.png");
        assertThat(ws.receiveFrom()).isEqualTo("done cat.png by thumbnails");
        assertThat(ws.receiveFrom()).isEqualTo("done dog.png by thumbnails");
        ws.disconnect();
        assertThat(worker.done().toCompletableFuture()).isNotDone();
      }
    } finally {
      ChannelLayers.remove(ALIAS);
      memory.close();
    }
  }
}
