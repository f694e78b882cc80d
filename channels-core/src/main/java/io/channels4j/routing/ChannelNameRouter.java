package io.channels4j.routing;

import io.channels4j.Application;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.Denials;
import java.util.Map;
import java.util.Optional;
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
 * <p>A scope without a channel, or with a channel that has no application, fails with a {@link
 * io.channels4j.ChannelsException}. Immutable and thread-safe.
 */
public final class ChannelNameRouter implements Application {

  private final ApplicationMap applications;

  private ChannelNameRouter(ApplicationMap applications) {
    this.applications = applications;
  }

  /**
   * A router over a map from channel name to application.
   *
   * @param applications the applications
   * @return a router over a map from channel name to application
   * @throws IllegalArgumentException if the map is empty
   */
  public static ChannelNameRouter of(Map<String, ? extends Application> applications) {
    return new ChannelNameRouter(new ApplicationMap(applications, "ChannelNameRouter", "channel name", "channels"));
  }

  /** {@return the application for each channel name} */
  public Map<String, Application> applications() {
    return applications.asMap();
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
    return applications.handle(channel.get(), scope, receive, send);
  }

  @Override
  public String toString() {
    return "ChannelNameRouter" + applications.sortedKeys();
  }
}
