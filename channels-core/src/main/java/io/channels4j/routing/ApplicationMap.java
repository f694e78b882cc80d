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
 * What {@link ProtocolTypeRouter} and {@link ChannelNameRouter} share: an immutable, non-empty map from a
 * key (scope type, channel name) to an application, and the hand-over to the application for a key.
 */
final class ApplicationMap {

  private final Map<String, Application> applications;
  private final String keyName;
  private final String keysName;

  /**
   * Copies {@code applications}, refusing nulls and an empty map.
   *
   * @param router the router's name, for the error message
   * @param keyName what a key is, e.g. {@code "scope type"}
   * @param keysName what the keys are in a "no route" message, e.g. {@code "types"}
   */
  ApplicationMap(Map<String, ? extends Application> applications, String router, String keyName, String keysName) {
    Objects.requireNonNull(applications, "applications");
    if (applications.isEmpty()) {
      throw new IllegalArgumentException(router + " needs at least one " + keyName + ", got none");
    }
    Map<String, Application> copy = new LinkedHashMap<>();
    applications.forEach(
        (key, app) -> copy.put(Objects.requireNonNull(key, keyName), Objects.requireNonNull(app, "application for " + key)));
    this.applications = Map.copyOf(copy);
    this.keyName = keyName;
    this.keysName = keysName;
  }

  Map<String, Application> asMap() {
    return applications;
  }

  /**
   * Hands the connection to the application for {@code key}; a missing application, or one that throws
   * instead of returning a stage, gives a failed stage.
   */
  CompletionStage<Void> handle(String key, Scope scope, Receive receive, Send send) {
    Application app = applications.get(key);
    if (app == null) {
      return CompletableFuture.failedFuture(
          new NoRouteException("No application configured for " + keyName + " " + Denials.quote(key)
              + "; configured " + keysName + ": " + sortedKeys()));
    }
    try {
      return app.handle(scope, receive, send);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The keys, sorted: for messages and {@code toString}. */
  TreeSet<String> sortedKeys() {
    return new TreeSet<>(applications.keySet());
  }
}
