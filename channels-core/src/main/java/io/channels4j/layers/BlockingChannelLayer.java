package io.channels4j.layers;

import io.channels4j.Message;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A blocking view of a {@link ChannelLayer}: each method waits for the asynchronous one and rethrows its
 * failure unwrapped (e.g. {@link ChannelFullException}). For sync consumers, which run on their own
 * threads; never call it on an I/O thread.
 */
public final class BlockingChannelLayer {

  private final ChannelLayer layer;

  BlockingChannelLayer(ChannelLayer layer) {
    this.layer = layer;
  }

  /** The asynchronous layer behind this view. */
  public ChannelLayer async() {
    return layer;
  }

  /** See {@link ChannelLayer#send}. */
  public void send(String channel, Message message) {
    await(layer.send(channel, message));
  }

  /** See {@link ChannelLayer#receive}. */
  public Message receive(String channel) {
    return await(layer.receive(channel));
  }

  /** See {@link ChannelLayer#newChannel(String)}. */
  public String newChannel(String prefix) {
    return await(layer.newChannel(prefix));
  }

  /** See {@link ChannelLayer#newChannel()}. */
  public String newChannel() {
    return await(layer.newChannel());
  }

  /** See {@link ChannelLayer#groupAdd}. */
  public void groupAdd(String group, String channel) {
    await(layer.groupAdd(group, channel));
  }

  /** See {@link ChannelLayer#groupDiscard}. */
  public void groupDiscard(String group, String channel) {
    await(layer.groupDiscard(group, channel));
  }

  /** See {@link ChannelLayer#groupSend}. */
  public void groupSend(String group, Message message) {
    await(layer.groupSend(group, message));
  }

  /** See {@link ChannelLayer#flush}. */
  public void flush() {
    await(layer.flush());
  }

  /** Waits for {@code stage} and returns its value, rethrowing its failure unwrapped. */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CancellationException("interrupted while waiting for the channel layer");
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new CompletionException(cause);
    }
  }
}
