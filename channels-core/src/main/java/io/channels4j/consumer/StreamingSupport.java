package io.channels4j.consumer;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.internal.Threads;
import io.channels4j.layers.ChannelLayer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link ServerSentEventsConsumer} and {@link LongPollConsumer} share: timers that post an event to
 * the consumer's own channel (so it is handled in order with everything else), query parameters, and
 * the client-facing fields of a group message.
 */
final class StreamingSupport {

  private static final Logger LOG = LoggerFactory.getLogger(StreamingSupport.class);
  private static final ScheduledExecutorService TIMERS =
      Executors.newSingleThreadScheduledExecutor(Threads.daemonFactory("channels4j-stream-timer-"));

  private StreamingSupport() {}

  /** Sends {@code event} to {@code consumer}'s own channel after {@code delay}, then every {@code period} if given. */
  static ScheduledFuture<?> postLater(AsyncConsumer consumer, Message event, Duration delay, Duration period) {
    Runnable post = () -> consumer.channelLayer().send(consumer.channelName(), event).whenComplete((v, e) -> {
      if (e != null) {
        LOG.debug("Could not post {} to {}: {}", event.type(), consumer.channelName(), e.toString());
      }
    });
    return period == null
        ? TIMERS.schedule(post, delay.toMillis(), TimeUnit.MILLISECONDS)
        : TIMERS.scheduleAtFixedRate(post, delay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The first value of query parameter {@code name}, decoded; empty if absent or badly encoded. */
  static Optional<String> queryParam(String queryString, String name) {
    for (String pair : queryString.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        try {
          return Optional.of(URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** A group message's fields for a client: all but {@code type} and the history id. */
  static Map<String, Object> clientFields(Message message) {
    Map<String, Object> out = new LinkedHashMap<>(message.asMap());
    out.remove(Message.TYPE);
    out.remove(ChannelLayer.HISTORY_ID);
    return out;
  }

  /** Cancels {@code timer} (if any) and takes {@code consumer} out of {@code group} (if it joined one). */
  static CompletionStage<Void> leave(AsyncConsumer consumer, String group, ScheduledFuture<?> timer) {
    if (timer != null) {
      timer.cancel(false);
    }
    return group == null ? Application.done() : consumer.channelLayer().groupDiscard(group, consumer.channelName());
  }
}
