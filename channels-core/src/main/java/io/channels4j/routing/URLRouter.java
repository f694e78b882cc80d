package io.channels4j.routing;

import io.channels4j.Application;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.UrlRoute;
import io.channels4j.internal.Denials;
import io.channels4j.middleware.BaseMiddleware;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a connection by its path to the first matching {@link Route}: the Java form of Channels' {@code
 * URLRouter}, with Django's {@code path()} / {@code re_path()} semantics.
 *
 * <pre>{@code
 * Application app = ProtocolTypeRouter.builder()
 *     .websocket(URLRouter.of(
 *         path("ws/chat/<str:room_name>/", ChatConsumer::new),
 *         path("ws/admin/", URLRouter.of(path("<int:id>/", AdminConsumer::new)))))
 *     .build();
 * }</pre>
 *
 * <p><b>Matching.</b> The router matches {@code scope["path_remaining"]} if a router further out left
 * one, else the (percent-decoded) {@code path}, after removing its leading slashes; the outermost router
 * first strips {@code root_path} from the path. Routes are tried in order. A route to a nested {@code
 * URLRouter} is a prefix match and the nested router matches what is left; if it finds nothing, the
 * outer router goes on with its next route. The chosen application gets a scope with {@code
 * path_remaining} (the unmatched tail) and {@code url_route}: the args and kwargs of every router on the
 * way, kwargs of inner routes winning, plus each route's default kwargs (see {@link Scope#urlRoute()}).
 *
 * <p><b>No route.</b> Where Channels raises {@code ValueError("No route found for path ...")}, this router
 * answers the client itself and logs one line: HTTP connections get a 404 response; WebSocket handshakes
 * are closed before accept (the server answers HTTP 403). Other scope types fail with a {@link
 * io.channels4j.ChannelsException}. A path outside {@code root_path} counts as no route.
 *
 * <p><b>Middleware around a nested router.</b> A nested router wrapped in {@link BaseMiddleware}s (e.g.
 * {@code path("ws/", authStack(URLRouter.of(...)))}) is also a prefix match: the outer router checks that
 * the nested router has a route for the rest of the path (otherwise it goes on with its next route), then
 * runs the middleware, whose nested router routes the rest. Channels treats such a pattern as an endpoint,
 * so the nested routes can never match there; middleware written as a plain lambda is not seen through.
 *
 * <p>Immutable and thread-safe; all patterns are compiled when the routes are built.
 */
public final class URLRouter implements Application {

  private static final Logger LOG = LoggerFactory.getLogger(URLRouter.class);

  /** Scope key holding the part of the path routers have not matched yet. */
  public static final String PATH_REMAINING = "path_remaining";

  private final List<Route> routes;

  private URLRouter(List<Route> routes) {
    this.routes = routes;
  }

  /**
   * A router over {@code routes}, tried in order.
   *
   * @param routes the routes
   * @return a router over {@code routes}, tried in order
   */
  public static URLRouter of(Route... routes) {
    return of(List.of(Objects.requireNonNull(routes, "routes")));
  }

  /**
   * A router over {@code routes}, tried in order.
   *
   * @param routes the routes
   * @return a router over {@code routes}, tried in order
   */
  public static URLRouter of(List<Route> routes) {
    Objects.requireNonNull(routes, "routes");
    for (int i = 0; i < routes.size(); i++) {
      Objects.requireNonNull(routes.get(i), "routes[" + i + "]");
    }
    return new URLRouter(List.copyOf(routes));
  }

  /** {@return the routes, in matching order} */
  public List<Route> routes() {
    return routes;
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    boolean outermost = !scope.has(PATH_REMAINING);
    String path;
    if (outermost) {
      if (!scope.has("path")) {
        return CompletableFuture.failedFuture(
            new NoRouteException(
                "No 'path' key in " + Denials.quote(scope.type()) + " scope, cannot route URLs"));
      }
      path = scope.path();
      String rootPath = scope.rootPath();
      if (!rootPath.isEmpty()) {
        if (!path.startsWith(rootPath)) {
          return noRoute(scope, path, " (outside root_path " + Denials.quote(rootPath) + ")", receive, send);
        }
        path = path.substring(rootPath.length());
      }
    } else {
      path = (String) scope.get(PATH_REMAINING).orElseThrow();
    }
    UrlRoute outer = scope.urlRoute();
    Resolved resolved = resolve(stripSlashes(path), outer.args(), outer.kwargs());
    if (resolved == null) {
      return noRoute(scope, outermost ? scope.path() : path, "", receive, send);
    }
    Scope routed =
        scope
            .with(PATH_REMAINING, resolved.rest())
            .with("url_route", new UrlRoute(resolved.args(), resolved.kwargs()));
    try {
      return resolved.application().handle(routed, receive, send);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Finds the leaf application for {@code path}, descending into nested routers; null if none. */
  private Resolved resolve(String path, List<Object> args, Map<String, Object> kwargs) {
    for (Route route : routes) {
      RoutePattern.Match m = route.match(path);
      if (m == null) {
        continue;
      }
      List<Object> allArgs = args;
      if (!m.args().isEmpty()) {
        allArgs = new ArrayList<>(args);
        allArgs.addAll(m.args());
      }
      Map<String, Object> allKwargs = kwargs;
      if (!m.kwargs().isEmpty() || !route.defaultKwargs().isEmpty()) {
        allKwargs = new LinkedHashMap<>(kwargs);
        allKwargs.putAll(m.kwargs());
        allKwargs.putAll(route.defaultKwargs());
      }
      URLRouter nested = route.nestedRouter();
      if (nested != null) {
        Resolved inner = nested.resolve(stripSlashes(m.rest()), allArgs, allKwargs);
        if (inner == null) {
          continue; // as Channels does when the nested router raises Resolver404
        }
        if (route.application() == nested) {
          return inner; // no middleware in between: go straight to the leaf
        }
        // Middleware in between must run: it gets the prefix match, then its nested router routes again.
        return new Resolved(route.application(), m.rest(), allArgs, allKwargs);
      }
      return new Resolved(route.application(), m.rest(), allArgs, allKwargs);
    }
    return null;
  }

  /** The URLRouter {@code app} is, or wraps through {@link BaseMiddleware}s; null if none. */
  static URLRouter nestedRouter(Application app) {
    Application a = app;
    for (int depth = 0; depth < 100; depth++) {
      if (a instanceof URLRouter router) {
        return router;
      }
      if (!(a instanceof BaseMiddleware middleware)) {
        return null;
      }
      a = middleware.inner();
    }
    return null;
  }

  private static CompletionStage<Void> noRoute(Scope scope, String path, String why, Receive receive, Send send) {
    String message = "No route found for path " + Denials.quote(path) + why + ".";
    return switch (scope.type()) {
      case Scope.HTTP -> {
        LOG.warn("{} Answering HTTP 404.", message);
        yield Denials.httpResponse(send, 404, "Not Found. " + message + "\n");
      }
      case Scope.WEBSOCKET -> {
        LOG.warn("{} Rejecting the WebSocket handshake.", message);
        yield Denials.denyWebsocket(receive, send);
      }
      default -> CompletableFuture.failedFuture(new NoRouteException(message));
    };
  }

  private static String stripSlashes(String path) {
    int i = 0;
    while (i < path.length() && path.charAt(i) == '/') {
      i++;
    }
    return path.substring(i);
  }

  @Override
  public String toString() {
    return "URLRouter" + routes;
  }

  /** Where a path leads: the application, the unmatched rest, and everything captured on the way. */
  private record Resolved(Application application, String rest, List<Object> args, Map<String, Object> kwargs) {}
}
