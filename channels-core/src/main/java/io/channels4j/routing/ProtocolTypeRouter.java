package io.channels4j.routing;

import io.channels4j.Application;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.Denials;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * Sends each connection to the application configured for its scope type ({@code http}, {@code
 * websocket}, {@code channel}, ...): the Java form of Channels' {@code ProtocolTypeRouter}, usually the
 * outermost application.
 *
 * <pre>{@code
 * Application app = ProtocolTypeRouter.builder()
 *     .http(URLRouter.of(path("events/", EventsConsumer::new)))
 *     .websocket(AllowedHostsOriginValidator.of(
 *         URLRouter.of(path("ws/chat/<str:room_name>/", ChatConsumer::new)), List.of("example.com")))
 *     .build();
 * }</pre>
 *
 * <p>A scope of a type with no application fails with a {@link io.channels4j.ChannelsException} naming
 * the type and the configured ones. Immutable and thread-safe.
 */
public final class ProtocolTypeRouter implements Application {

  private final ApplicationMap applications;

  private ProtocolTypeRouter(ApplicationMap applications) {
    this.applications = applications;
  }

  /**
   * A router over a map from scope type to application, e.g. {@code Map.of("websocket", wsRouter)}.
   *
   * @param applications the applications
   * @return a router over a map from scope type to application, e.g. {@code Map.of("websocket", wsRouter)}
   * @throws IllegalArgumentException if the map is empty
   */
  public static ProtocolTypeRouter of(Map<String, ? extends Application> applications) {
    return new ProtocolTypeRouter(new ApplicationMap(applications, "ProtocolTypeRouter", "scope type", "types"));
  }

  /**
   * Starts a builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** {@return the application for each scope type} */
  public Map<String, Application> applications() {
    return applications.asMap();
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    return applications.handle(scope.type(), scope, receive, send);
  }

  @Override
  public String toString() {
    return "ProtocolTypeRouter" + applications.sortedKeys();
  }

  /** Builds a {@link ProtocolTypeRouter}; each scope type may be configured once. */
  public static final class Builder {
    private final Map<String, Application> applications = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Routes {@code http} scopes to {@code application}.
     *
     * @param application the application
     * @return this builder
     */
    public Builder http(Application application) {
      return route(Scope.HTTP, application);
    }

    /**
     * Routes {@code websocket} scopes to {@code application}.
     *
     * @param application the application
     * @return this builder
     */
    public Builder websocket(Application application) {
      return route(Scope.WEBSOCKET, application);
    }

    /**
     * Routes {@code channel} scopes (workers) to {@code application}, typically a {@link ChannelNameRouter}.
     *
     * @param application the application
     * @return this builder
     */
    public Builder channel(Application application) {
      return route(Scope.CHANNEL, application);
    }

    /**
     * Routes scopes of {@code type} to {@code application}.
     *
     * @param type the type
     * @param application the application
     * @return this builder
     * @throws IllegalArgumentException if {@code type} is already configured
     */
    public Builder route(String type, Application application) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(application, "application");
      if (applications.putIfAbsent(type, application) != null) {
        throw new IllegalArgumentException("scope type " + Denials.quote(type) + " is already configured");
      }
      return this;
    }

    /**
     * Returns the router.
     *
     * @return the router
     * @throws IllegalArgumentException if no scope type was configured
     */
    public ProtocolTypeRouter build() {
      return of(applications);
    }
  }
}
