package io.channels4j.routing;

import io.channels4j.Scope;
import io.channels4j.consumer.AsyncJsonWebsocketConsumer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * A test consumer: accepts, then sends what routing put in its scope as JSON: {@code args}, {@code
 * kwargs}, the Java type of each kwarg, {@code path_remaining} and a label telling which route it is.
 */
public class RouteEchoConsumer extends AsyncJsonWebsocketConsumer {

  private final String label;

  /** The usual no-arg constructor, as routed with {@code RouteEchoConsumer::new}. */
  public RouteEchoConsumer() {
    this("echo");
  }

  /** A labelled echo, to tell routes apart; routed with {@code () -> new RouteEchoConsumer("x")}. */
  public RouteEchoConsumer(String label) {
    this.label = label;
  }

  @Override
  public CompletionStage<Void> connect() {
    return accept().thenCompose(v -> sendJson(describe(label, scope())));
  }

  static Map<String, Object> describe(String label, Scope scope) {
    Map<String, Object> types = new LinkedHashMap<>();
    scope.urlRoute().kwargs().forEach((k, v) -> types.put(k, v.getClass().getSimpleName()));
    List<String> argTypes = new ArrayList<>();
    scope.urlRoute().args().forEach(a -> argTypes.add(a.getClass().getSimpleName()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("label", label);
    out.put("args", scope.urlRoute().args());
    out.put("argTypes", argTypes);
    out.put("kwargs", scope.urlRoute().kwargs());
    out.put("types", types);
    out.put("path_remaining", scope.get(URLRouter.PATH_REMAINING).orElse(null));
    out.put("tenant", scope.get("tenant").orElse(null));
    return out;
  }
}
