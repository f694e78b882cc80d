package io.channels4j.micrometer;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** A channel layer that reports every call to {@link ChannelsMeters}; messages pass through untouched. */
final class MeteredLayer implements ChannelLayer {

  private final ChannelLayer layer;
  private final ChannelsMeters meters;
  private final String name;

  MeteredLayer(ChannelLayer layer, ChannelsMeters meters) {
    this.layer = Objects.requireNonNull(layer, "layer");
    this.meters = meters;
    this.name = layer.getClass().getSimpleName();
  }

  private <T> CompletionStage<T> timed(String operation, Supplier<CompletionStage<T>> call) {
    long start = System.nanoTime();
    CompletionStage<T> result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      meters.operation(name, operation, System.nanoTime() - start, e);
      throw e;
    }
    return result.whenComplete((v, e) -> meters.operation(name, operation, System.nanoTime() - start, cause(e)));
  }

  private static Throwable cause(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  @Override
  public CompletionStage<Void> send(String channel, Message message) {
    return timed("send", () -> layer.send(channel, message));
  }

  /** Not timed (it waits for a message); counts deliveries and failures other than cancellation. */
  @Override
  public CompletionStage<Message> receive(String channel) {
    return Relay.watch(layer.receive(channel), (m, failure) -> {
      if (failure == null) {
        meters.delivered(name);
      } else if (!(failure instanceof CancellationException)) {
        meters.failed(name, "receive", failure);
      }
    });
  }

  @Override
  public CompletionStage<String> newChannel(String prefix) {
    return timed("new_channel", () -> layer.newChannel(prefix));
  }

  @Override
  public CompletionStage<Void> groupAdd(String group, String channel) {
    return timed("group_add", () -> layer.groupAdd(group, channel));
  }

  @Override
  public CompletionStage<Void> groupDiscard(String group, String channel) {
    return timed("group_discard", () -> layer.groupDiscard(group, channel));
  }

  @Override
  public CompletionStage<Void> groupSend(String group, Message message) {
    meters.groupSent(name);
    return timed("group_send", () -> layer.groupSend(group, message));
  }

  @Override
  public CompletionStage<Void> flush() {
    return timed("flush", layer::flush);
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    return layer.closeAsync();
  }

  @Override
  public String toString() {
    return "metered " + layer;
  }
}
