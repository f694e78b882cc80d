package io.channels4j.layers;

import io.channels4j.Message;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Why an in-memory layer call fails at once (an invalid name, no message, a closed layer), as a failed
 * stage, or null if it may go on: the checks every operation of {@link InMemoryChannelLayer} starts with.
 */
final class Refusals {

  private Refusals() {}

  /**
   * For {@code send} or {@code receive} on {@code channel}. A {@code known} channel's name was checked when
   * it was made, so it is not read again (a cache miss per call when many channels are busy).
   */
  static <T> CompletionStage<T> channel(String channel, boolean known, boolean receiving, boolean closed) {
    if (!known) {
      try {
        if (receiving) {
          ChannelNames.requireValidReceiveName(channel);
        } else {
          ChannelNames.requireValidChannelName(channel);
        }
      } catch (RuntimeException e) {
        return CompletableFuture.failedStage(e);
      }
    }
    return closed ? closed() : null;
  }

  /** For a group send. */
  static <T> CompletionStage<T> groupSend(String group, Message message, boolean closed) {
    try {
      ChannelNames.requireValidGroupName(group);
      Objects.requireNonNull(message, "message");
    } catch (RuntimeException e) {
      return CompletableFuture.failedStage(e);
    }
    return closed ? closed() : null;
  }

  /** For {@code groupAdd} or {@code groupDiscard}. */
  static CompletionStage<Void> membership(String group, String channel, boolean closed) {
    try {
      ChannelNames.requireValidGroupName(group);
      ChannelNames.requireValidChannelName(channel);
    } catch (RuntimeException e) {
      return CompletableFuture.failedStage(e);
    }
    return closed ? closed() : null;
  }

  static <T> CompletionStage<T> closed() {
    return CompletableFuture.failedStage(closedException());
  }

  static ChannelLayerUnavailableException closedException() {
    return new ChannelLayerUnavailableException("the in-memory channel layer is closed", null);
  }
}
