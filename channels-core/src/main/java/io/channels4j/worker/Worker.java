package io.channels4j.worker;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.AsyncQueue;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes named channels from a channel layer and feeds their messages to an application: the Java form
 * of Channels' {@code Worker} ({@code manage.py runworker}).
 *
 * <pre>{@code
 * Application app = ProtocolTypeRouter.builder()
 *     .channel(ChannelNameRouter.of(Map.of("thumbnails-generate", AsyncConsumer.asApplication(Thumbnailer::new))))
 *     .build();
 * try (Worker worker = Worker.start(app, layer, List.of("thumbnails-generate"))) {
 *   worker.done().toCompletableFuture().join(); // runs until closed or the layer fails
 * }
 * }</pre>
 *
 * <p>For each channel name the worker runs one application instance with the scope {@code {"type":
 * "channel", "channel": name}} and hands it that channel's messages, in order, as its received events. An
 * instance that ends (or fails, which is logged) is replaced by a new one at the channel's next message.
 * The application has no client: its {@code send} fails; it answers through the channel layer. A message
 * without a type is an error, as in Channels.
 *
 * <p>{@link #close()} stops listening and withdraws the instances' pending receives. {@link
 * #stopGracefully(Duration)} first stops taking messages from the layer and lets every instance finish
 * the messages it was already handed. If the layer fails, the worker stops and {@link #done()} fails with
 * the layer's error.
 *
 * <p>{@link #main(String[])} is the {@code runworker} command: it runs a worker until SIGTERM (or
 * Ctrl-C), then stops gracefully and exits with status 0.
 */
public final class Worker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

  private final Application application;
  private final ChannelLayer layer;
  private final List<String> channels;
  private final Map<String, Instance> instances = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Message>> listening = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile boolean draining;

  private Worker(Application application, ChannelLayer layer, List<String> channels) {
    this.application = application;
    this.layer = layer;
    this.channels = channels;
  }

  /**
   * Starts consuming {@code channels} from {@code layer} into {@code application}.
   *
   * @param application the application
   * @param layer the channel layer
   * @param channels the channel names
   * @return the running worker
   * @throws IllegalArgumentException if no channel is given or a name is invalid
   */
  public static Worker start(Application application, ChannelLayer layer, List<String> channels) {
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(channels, "channels");
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("a worker needs at least one channel name, got none");
    }
    Map<String, Boolean> unique = new LinkedHashMap<>();
    for (String c : channels) {
      unique.put(ChannelNames.requireValidChannelName(c), true);
    }
    Worker worker = new Worker(application, layer, List.copyOf(unique.keySet()));
    for (String c : worker.channels) {
      worker.listen(c);
    }
    LOG.info("Worker listening on channels {}", worker.channels);
    return worker;
  }

  /** {@return the channels this worker consumes} */
  public List<String> channels() {
    return channels;
  }

  /**
   * Completes when the worker is closed; fails if the channel layer failed.
   *
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> done() {
    return done;
  }

  /** Stops listening and withdraws the application instances' pending receives. Idempotent. */
  @Override
  public void close() {
    if (done.complete(null)) {
      shutDown();
    }
  }

  /**
   * Stops taking messages from the layer, waits (at most {@code grace}) until every application instance
   * has handled the messages it was handed and waits for its next one (or has ended), then closes.
   *
   * @param grace the longest time to wait for the instances before closing anyway
   * @return true if every instance finished within {@code grace}; false if some were still busy when the
   *     worker closed
   */
  public boolean stopGracefully(Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    draining = true;
    listening.values().forEach(f -> f.cancel(false));
    // Only now: a message sent after this line is never taken by this worker.
    LOG.info("Worker on {} stopping: finishing the current messages (at most {})", channels, grace);
    boolean idle = false;
    try {
      while (!idle && !done.isDone()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        CompletableFuture.allOf(instances.values().stream().map(Instance::whenIdle).toArray(CompletableFuture[]::new))
            .get(left, TimeUnit.NANOSECONDS);
        idle = instances.values().stream().allMatch(Instance::idle);
      }
    } catch (TimeoutException e) {
      LOG.warn("Worker on {}: instances still busy after {}; closing", channels, grace);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      LOG.warn("Worker on {}: waiting for instances failed", channels, e.getCause());
    }
    close();
    return idle || instances.values().stream().allMatch(Instance::idle);
  }

  /**
   * The {@code runworker} command. Arguments: {@code --channels name...} (at least one), {@code
   * --application <class>} (an {@link Application}, or a {@code Supplier<Application>}, with a public
   * no-argument constructor), optionally {@code --layer <class>} (a {@code Function<Map<String,String>,
   * ChannelLayer>} with a public no-argument constructor) or {@code --layer <backend>} (a backend of {@link
   * io.channels4j.layers.ChannelLayers#configure(Map)}, e.g. {@code redis}) with {@code --layer-option
   * key=value} for it (repeatable), or {@code --layer-config <file>} (a properties file of {@code
   * channels.layers.*} settings; the worker consumes from {@code default}); without these, {@code
   * CHANNELS_LAYERS_DEFAULT_*} environment variables, else an in-memory layer, for trying things out; and
   * {@code --grace <seconds>} (how long
   * a stop may wait for the current messages, default 30). Runs until SIGTERM or Ctrl-C, then stops
   * gracefully and exits 0; exits 2 on bad arguments.
   *
   * @param args the command-line arguments described above
   */
  public static void main(String[] args) {
    WorkerCommand.main(args);
  }

  private void shutDown() {
    listening.values().forEach(f -> f.cancel(false));
    instances.values().forEach(Instance::cancel);
  }

  /** Receives from {@code channel} until closed; loops without recursion when messages are ready. */
  private void listen(String channel) {
    while (!done.isDone() && !draining) {
      CompletableFuture<Message> f;
      try {
        f = layer.receive(channel).toCompletableFuture();
      } catch (RuntimeException e) {
        failed(channel, e);
        return;
      }
      listening.put(channel, f);
      if (done.isDone() || draining) {
        f.cancel(false);
        return;
      }
      if (!f.isDone()) {
        f.whenComplete(
            (m, err) -> {
              if (deliver(channel, m, err)) {
                listen(channel);
              }
            });
        return;
      }
      Message m = null;
      Throwable err = null;
      try {
        m = f.join();
      } catch (CompletionException | CancellationException e) {
        err = e;
      }
      if (!deliver(channel, m, err)) {
        return;
      }
    }
  }

  /** Hands one received message to the channel's instance; false if the worker should stop listening. */
  private boolean deliver(String channel, Message message, Throwable err) {
    if (done.isDone()) {
      return false;
    }
    if (err != null) {
      failed(channel, err);
      return false;
    }
    if (message.type() == null || message.type().isEmpty()) {
      failed(channel, new IllegalArgumentException("Worker received a message with no type on channel '" + channel + "'"));
      return false;
    }
    // One listener per channel, so no other thread touches this channel's entry.
    Instance instance = instances.get(channel);
    if (instance == null || instance.finished()) {
      instance = new Instance(channel);
      instances.put(channel, instance);
    }
    instance.inbox.offer(message);
    return !draining;
  }

  private void failed(String channel, Throwable err) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof CancellationException && (done.isDone() || draining)) {
      return;
    }
    if (done.completeExceptionally(cause)) {
      LOG.error("Worker stopped: receiving from channel '{}' failed", channel, cause);
      shutDown();
    }
  }

  /** One application instance, serving one channel name. */
  private final class Instance {
    final AsyncQueue<Message> inbox = new AsyncQueue<>();
    final CompletableFuture<Void> finished;
    volatile CompletableFuture<Message> pending;
    private CompletableFuture<Void> idleWaiter;

    Instance(String channel) {
      Scope scope = Scope.builder(Scope.CHANNEL).channel(channel).build();
      Receive receive =
          () -> {
            CompletableFuture<Message> f = inbox.poll();
            pending = f;
            if (!f.isDone()) {
              signalIdle();
            }
            return f;
          };
      Send send =
          m ->
              CompletableFuture.failedFuture(
                  new UnsupportedOperationException(
                      "an application run by a Worker has no client to send " + m.type()
                          + " to; send through the channel layer instead"));
      CompletableFuture<Void> f;
      try {
        f = application.handle(scope, receive, send).toCompletableFuture();
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      finished = f;
      f.whenComplete(
          (v, e) -> {
            signalIdle();
            if (e != null && !done.isDone()) {
              LOG.error("Application for channel '{}' failed; a new instance takes the next message", channel, e);
            }
          });
    }

    /** Handled everything it was handed and waits for more, or ended. */
    boolean idle() {
      CompletableFuture<Message> p = pending;
      return finished.isDone() || (inbox.size() == 0 && p != null && !p.isDone());
    }

    synchronized CompletableFuture<Void> whenIdle() {
      if (idle()) {
        return CompletableFuture.completedFuture(null);
      }
      if (idleWaiter == null) {
        idleWaiter = new CompletableFuture<>();
      }
      return idleWaiter;
    }

    private void signalIdle() {
      CompletableFuture<Void> w;
      synchronized (this) {
        w = idleWaiter;
        idleWaiter = null;
      }
      if (w != null) {
        w.complete(null);
      }
    }

    boolean finished() {
      return finished.isDone();
    }

    void cancel() {
      CompletableFuture<Message> p = pending;
      if (p != null) {
        p.cancel(false);
      }
    }
  }

  @Override
  public String toString() {
    return "Worker" + new ArrayList<>(channels);
  }
}
