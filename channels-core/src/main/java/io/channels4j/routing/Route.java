package io.channels4j.routing;

import io.channels4j.Application;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a {@link URLRouter}: a compiled pattern, the application it leads to, and default kwargs.
 * Build routes with {@link Routes#path} and {@link Routes#rePath}; the pattern is compiled when the route
 * is built, so a bad pattern fails at start-up, not on the first request.
 *
 * <p>A route whose application is a {@link URLRouter} (directly, or wrapped in {@link
 * io.channels4j.middleware.BaseMiddleware}s) is a prefix match (like Django's {@code include()}); any other
 * route must match to the end of the path ({@code path()} always, {@code rePath()} when the regex ends with
 * {@code $}).
 */
public final class Route {

  private final String pattern;
  private final boolean regex;
  private final Application application;
  private final Map<String, Object> defaultKwargs;
  private final RoutePattern compiled;
  private final URLRouter nestedRouter;

  Route(String pattern, boolean regex, Application application, Map<String, ?> defaultKwargs) {
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    this.regex = regex;
    this.application = Objects.requireNonNull(application, "application");
    Objects.requireNonNull(defaultKwargs, "defaultKwargs");
    Map<String, Object> copy = new LinkedHashMap<>();
    defaultKwargs.forEach(
        (k, v) -> {
          if (k == null || v == null) {
            throw new IllegalArgumentException(
                "default kwargs of route '" + pattern + "' must not contain null keys or values, got " + k + "=" + v);
          }
          copy.put(k, v);
        });
    this.defaultKwargs = Map.copyOf(copy);
    this.nestedRouter = URLRouter.nestedRouter(application);
    boolean endpoint = nestedRouter == null;
    this.compiled = regex ? new RegexPattern(pattern, endpoint) : new PathPattern(pattern, endpoint);
  }

  /** {@return the pattern as written, e.g. {@code ws/chat/<str:room_name>/}} */
  public String pattern() {
    return pattern;
  }

  /**
   * True for a {@code rePath()} route, false for a {@code path()} route.
   *
   * @return {@code true} for a {@code rePath()} route, false for a {@code path()} route
   */
  public boolean isRegex() {
    return regex;
  }

  /** {@return the application this route leads to (a nested {@link URLRouter} makes the pattern a prefix)} */
  public Application application() {
    return application;
  }

  /** {@return the kwargs added to {@code url_route} when this route matches; they win over captured values} */
  public Map<String, Object> defaultKwargs() {
    return defaultKwargs;
  }

  /** The URLRouter this route leads to, directly or through {@code BaseMiddleware}; null if none. */
  URLRouter nestedRouter() {
    return nestedRouter;
  }

  RoutePattern.Match match(String path) {
    return compiled.match(path);
  }

  @Override
  public String toString() {
    return (regex ? "rePath('" : "path('") + pattern + "')";
  }
}
