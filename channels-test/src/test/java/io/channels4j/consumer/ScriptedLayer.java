package io.channels4j.consumer;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayerUnavailableException;
import io.channels4j.layers.InMemoryChannelLayer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real in-memory layer that records the group calls a consumer makes, and can be told to fail {@code
 * groupAdd} as an unreachable Redis does, or to hold {@code groupDiscard} until the test opens a gate.
 */
final class ScriptedLayer implements ChannelLayer {
  final InMemoryChannelLayer memory = InMemoryChannelLayer.create();
  final List<String> calls = new CopyOnWriteArrayList<>();
  volatile boolean unavailable;
  volatile CompletableFuture<Void> discardGate = CompletableFuture.completedFuture(null);

  @Override
  public CompletionStage<Void> send(String channel, Message message) {
    return memory.send(channel, message);
  }

  @Override
  public CompletionStage<Message> receive(String channel) {
    return memory.receive(channel);
  }

  @Override
  public CompletionStage<String> newChannel(String prefix) {
    return memory.newChannel(prefix);
  }

  @Override
  public CompletionStage<Void> groupAdd(String group, String channel) {
    calls.add("groupAdd " + group);
    if (unavailable) {
      return CompletableFuture.failedFuture(
          new ChannelLayerUnavailableException("Redis at localhost:6379 is unreachable", new java.io.IOException("refused")));
    }
    return memory.groupAdd(group, channel);
  }

  @Override
  public CompletionStage<Void> groupDiscard(String group, String channel) {
    calls.add("groupDiscard " + group);
    return discardGate.thenCompose(v -> memory.groupDiscard(group, channel)).thenRun(() -> calls.add("discarded " + group));
  }

  @Override
  public CompletionStage<Void> groupSend(String group, Message message) {
    return memory.groupSend(group, message);
  }

  @Override
  public CompletionStage<Void> flush() {
    return memory.flush();
  }

  @Override
  public CompletionStage<Void> closeAsync() {
    return memory.closeAsync();
  }
}
