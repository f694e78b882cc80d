package io.channels4j.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.routing.ChannelNameRouter;
import io.channels4j.routing.ProtocolTypeRouter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Worker#stopGracefully}: messages in hand finish, later ones stay in the layer; the command's arguments. */
class WorkerStopTest {

  static final CompletableFuture<Void> RELEASE = new CompletableFuture<>();
  static final CompletableFuture<Void> FIRST_STARTED = new CompletableFuture<>();
  static final List<Object> HANDLED = new CopyOnWriteArrayList<>();

  private final InMemoryChannelLayer layer = InMemoryChannelLayer.create();

  /** Handles jobs in order; job 1 waits for {@link #RELEASE}. */
  public static final class Jobs extends AsyncConsumer {
    /** One per channel. */
    public Jobs() {}

    /** Handles one job. */
    public CompletionStage<Void> jobRun(Message m) {
      Object id = m.get("id");
      if (id instanceof Number n && n.longValue() == 1) {
        FIRST_STARTED.complete(null);
        return RELEASE.thenRun(() -> HANDLED.add(id));
      }
      HANDLED.add(id);
      return Application.done();
    }
  }

  @AfterEach
  void close() {
    ChannelLayers.remove(ChannelLayers.DEFAULT);
    layer.close();
  }

  @Test
  void aGracefulStopFinishesWhatIsInHandAndLeavesTheRest() throws Exception {
    ChannelLayers.set(ChannelLayers.DEFAULT, layer);
    Application app = ProtocolTypeRouter.builder()
        .channel(ChannelNameRouter.of(Map.of("jobs", AsyncConsumer.asApplication(Jobs::new)))).build();
    Worker worker = Worker.start(app, layer, List.of("jobs"));
    layer.send("jobs", Message.of("job.run", "id", 1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    FIRST_STARTED.get(5, TimeUnit.SECONDS);

    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> worker.stopGracefully(Duration.ofSeconds(10)));
    // Not finished while job 1 is in hand.
    assertThat(worker.done().toCompletableFuture().isDone()).isFalse();
    RELEASE.complete(null);
    assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
    assertThat(HANDLED).containsExactly(1L);
    assertThat(worker.done().toCompletableFuture().isDone()).isTrue();

    // After the stop, a job stays in the layer for the next worker.
    layer.send("jobs", Message.of("job.run", "id", 2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(layer.receive("jobs").toCompletableFuture().get(5, TimeUnit.SECONDS).get("id")).isEqualTo(2L);
    assertThat(HANDLED).containsExactly(1L);
  }

  @Test
  void theCommandReadsItsArgumentsAndNamesWhatIsWrong() {
    WorkerCommand.Arguments a = WorkerCommand.parse(new String[] {"--channels", "a", "b", "--application", "x.App",
        "--layer", "x.Layer", "--layer-option", "host=redis://h:1", "--grace", "2.5"});
    assertThat(a.channels()).containsExactly("a", "b");
    assertThat(a.layerOptions()).containsEntry("host", "redis://h:1");
    assertThat(a.grace()).isEqualTo(Duration.ofMillis(2500));
    assertThatThrownBy(() -> WorkerCommand.parse(new String[] {"--application", "x.App"}))
        .hasMessageContaining("--channels needs at least one channel name");
    assertThatThrownBy(() -> WorkerCommand.parse(new String[] {"--channels", "a", "--bogus"}))
        .hasMessageContaining("unknown argument '--bogus'");
    assertThatThrownBy(() -> WorkerCommand.application("no.such.App")).hasMessageContaining("--application no.such.App");
  }
}
