package io.channels4j.routing;

import io.channels4j.Application;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.Denials;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends a worker's {@code channel} scope to the application configured for its channel name: the Java form
 * of Channels' {@code ChannelNameRouter}.
 *
 * <pre>{@code
 * Application app = ProtocolTypeRouter.builder()
 *     .channel(ChannelNameRouter.of(Map.of("thumbnails-generate", AsyncConsumer.asApplication(ThumbnailWorker::new))))
 *     .build();
 * }</pre>
 *
 * <p>A scope without a channel, or with a channel that has no application, fails with {@link
 * NoRouteException}. Immutable and thread-safe.
 */
public final class ChannelNameRouter implements Application {

  private final Map<String, Application> applications;

  private ChannelNameRouter(Map<String, Application> applications) {
    this.applications = applications;
  }

  /**
   * A router over a map from channel name to application.
   *
   * @throws IllegalArgumentException if the map is empty
   */
  public static ChannelNameRouter of(Map<String, ? extends Application> applications) {
    return new ChannelNameRouter(ProtocolTypeRouter.copyOf(applications, "ChannelNameRouter", "channel name"));
  }

  /** The application for each channel name. */
  public Map<String, Application> applications() {
    return applications;
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    Optional<String> channel = scope.channel();
    if (channel.isEmpty()) {
      return CompletableFuture.failedFuture(
          new NoRouteException(
              "ChannelNameRouter got a " + Denials.quote(scope.type()) + " scope without a 'channel' key; "
                  + "use it only for 'channel' scopes (ProtocolTypeRouter.builder().channel(...))"));
    }
    Application app = applications.get(channel.get());
    if (app == null) {
      return CompletableFuture.failedFuture(
          new NoRouteException(
              "No application configured for channel name " + Denials.quote(channel.get())
                  + "; configured channels: " + new TreeSet<>(applications.keySet())));
    }
    try {
      return app.handle(scope, receive, send);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String toString() {
    return "ChannelNameRouter" + new TreeSet<>(applications.keySet());
  }
}
