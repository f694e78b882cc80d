package io.channels4j.routing;

import io.channels4j.Application;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.Denials;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
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
 * <p>A scope of a type with no application fails with {@link NoRouteException} naming the type and the
 * configured ones. Immutable and thread-safe.
 */
public final class ProtocolTypeRouter implements Application {

  private final Map<String, Application> applications;

  private ProtocolTypeRouter(Map<String, Application> applications) {
    this.applications = applications;
  }

  /**
   * A router over a map from scope type to application, e.g. {@code Map.of("websocket", wsRouter)}.
   *
   * @throws IllegalArgumentException if the map is empty
   */
  public static ProtocolTypeRouter of(Map<String, ? extends Application> applications) {
    return new ProtocolTypeRouter(copyOf(applications, "ProtocolTypeRouter", "scope type"));
  }

  /** An immutable copy of a router's non-empty map from {@code keyName} to application, nulls refused. */
  static Map<String, Application> copyOf(Map<String, ? extends Application> applications, String router, String keyName) {
    Objects.requireNonNull(applications, "applications");
    if (applications.isEmpty()) {
      throw new IllegalArgumentException(router + " needs at least one " + keyName + ", got none");
    }
    Map<String, Application> copy = new LinkedHashMap<>();
    applications.forEach(
        (key, app) -> copy.put(Objects.requireNonNull(key, keyName), Objects.requireNonNull(app, "application for " + key)));
    return Map.copyOf(copy);
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The application for each scope type. */
  public Map<String, Application> applications() {
    return applications;
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    Application app = applications.get(scope.type());
    if (app == null) {
      return CompletableFuture.failedFuture(
          new NoRouteException(
              "No application configured for scope type " + Denials.quote(scope.type()) + "; configured types: "
                  + new TreeSet<>(applications.keySet())));
    }
    try {
      return app.handle(scope, receive, send);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public String toString() {
    return "ProtocolTypeRouter" + new TreeSet<>(applications.keySet());
  }

  /** Builds a {@link ProtocolTypeRouter}; each scope type may be configured once. */
  public static final class Builder {
    private final Map<String, Application> applications = new LinkedHashMap<>();

    private Builder() {}

    /** Routes {@code http} scopes to {@code application}. */
    public Builder http(Application application) {
      return route(Scope.HTTP, application);
    }

    /** Routes {@code websocket} scopes to {@code application}. */
    public Builder websocket(Application application) {
      return route(Scope.WEBSOCKET, application);
    }

    /** Routes {@code channel} scopes (workers) to {@code application}, typically a {@link ChannelNameRouter}. */
    public Builder channel(Application application) {
      return route(Scope.CHANNEL, application);
    }

    /**
     * Routes scopes of {@code type} to {@code application}.
     *
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
     * @throws IllegalArgumentException if no scope type was configured
     */
    public ProtocolTypeRouter build() {
      return of(applications);
    }
  }
}
