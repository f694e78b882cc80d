package io.channels4j.routing;

import io.channels4j.Application;
import io.channels4j.consumer.AsyncConsumer;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Static factories for {@link Route}s, meant to be static-imported: the Java form of Django's {@code
 * path()} and {@code re_path()}.
 *
 * <pre>{@code
 * import static io.channels4j.routing.Routes.path;
 * import static io.channels4j.routing.Routes.rePath;
 *
 * Application websocket = URLRouter.of(
 *     path("ws/chat/<str:room_name>/", ChatConsumer::new),
 *     rePath("^ws/room/(?P<room_id>[0-9]+)/$", RoomConsumer::new),
 *     path("api/", URLRouter.of(path("<int:id>/", itemApp))));
 * }</pre>
 *
 * <p><b>{@code path()} patterns</b> are literal text with {@code <converter:name>} segments ({@code
 * <name>} alone uses {@code str}). Built-in converters, as in Django: {@code str} ({@code [^/]+}), {@code
 * int} ({@code [0-9]+}, an {@link Integer}; values beyond its range do not match), {@code slug} ({@code
 * [-a-zA-Z0-9_]+}), {@code uuid} (lower-case canonical form, a {@link java.util.UUID}) and {@code path}
 * ({@code .+}). Add more with {@link #registerConverter}.
 *
 * <p><b>{@code rePath()} patterns</b> are regular expressions; named groups (Python {@code (?P<name>...)}
 * or Java {@code (?<name>...)}, underscores allowed) become kwargs, unnamed groups become args when there
 * are no named groups. Groups that did not take part in the match are left out (Django keeps {@code
 * None} in args; {@link io.channels4j.UrlRoute} holds no nulls). See {@link URLRouter} for how paths are
 * matched.
 *
 * <p>A consumer is routed by its constructor reference ({@code ChatConsumer::new}), which stands for
 * Channels' {@code ChatConsumer.as_asgi()}: a new instance per connection. Patterns are compiled here, so
 * an invalid pattern or an unknown converter throws {@link IllegalArgumentException} quoting the pattern.
 */
public final class Routes {

  private Routes() {}

  /**
   * A {@code path()} route to an application (or a nested {@link URLRouter}).
   *
   * @param pattern the route pattern
   * @param application the application
   * @return a {@code path()} route to an application (or a nested {@link URLRouter})
   */
  public static Route path(String pattern, Application application) {
    return new Route(pattern, false, application, Map.of());
  }

  /**
   * A {@code path()} route to a consumer created per connection, e.g. {@code ChatConsumer::new}.
   *
   * @param pattern the route pattern
   * @param consumer makes one consumer per connection
   * @return a {@code path()} route to a consumer created per connection, e.g. {@code ChatConsumer::new}
   */
  public static Route path(String pattern, Supplier<? extends AsyncConsumer> consumer) {
    return new Route(pattern, false, consumerApp(consumer), Map.of());
  }

  /**
   * A {@code path()} route to an application with default kwargs merged into {@code url_route}.
   *
   * @param pattern the route pattern
   * @param application the application
   * @param defaultKwargs kwargs added to every match
   * @return a {@code path()} route to an application with default kwargs merged into {@code url_route}
   */
  public static Route path(String pattern, Application application, Map<String, ?> defaultKwargs) {
    return new Route(pattern, false, application, defaultKwargs);
  }

  /**
   * A {@code path()} route to a consumer with default kwargs merged into {@code url_route}.
   *
   * @param pattern the route pattern
   * @param consumer makes one consumer per connection
   * @param defaultKwargs kwargs added to every match
   * @return a {@code path()} route to a consumer with default kwargs merged into {@code url_route}
   */
  public static Route path(String pattern, Supplier<? extends AsyncConsumer> consumer, Map<String, ?> defaultKwargs) {
    return new Route(pattern, false, consumerApp(consumer), defaultKwargs);
  }

  /**
   * A {@code re_path()} route to an application (or a nested {@link URLRouter}).
   *
   * @param regex the regular expression
   * @param application the application
   * @return a {@code re_path()} route to an application (or a nested {@link URLRouter})
   */
  public static Route rePath(String regex, Application application) {
    return new Route(regex, true, application, Map.of());
  }

  /**
   * A {@code re_path()} route to a consumer created per connection.
   *
   * @param regex the regular expression
   * @param consumer makes one consumer per connection
   * @return a {@code re_path()} route to a consumer created per connection
   */
  public static Route rePath(String regex, Supplier<? extends AsyncConsumer> consumer) {
    return new Route(regex, true, consumerApp(consumer), Map.of());
  }

  /**
   * A {@code re_path()} route to an application with default kwargs.
   *
   * @param regex the regular expression
   * @param application the application
   * @param defaultKwargs kwargs added to every match
   * @return a {@code re_path()} route to an application with default kwargs
   */
  public static Route rePath(String regex, Application application, Map<String, ?> defaultKwargs) {
    return new Route(regex, true, application, defaultKwargs);
  }

  /**
   * A {@code re_path()} route to a consumer with default kwargs.
   *
   * @param regex the regular expression
   * @param consumer makes one consumer per connection
   * @param defaultKwargs kwargs added to every match
   * @return a {@code re_path()} route to a consumer with default kwargs
   */
  public static Route rePath(String regex, Supplier<? extends AsyncConsumer> consumer, Map<String, ?> defaultKwargs) {
    return new Route(regex, true, consumerApp(consumer), defaultKwargs);
  }

  /**
   * Registers a path converter under {@code name} for all routes built afterwards: the Java form of
   * Django's {@code register_converter}. Registering the same converter instance twice is harmless;
   * replacing a registered converter (built-ins included) is refused.
   *
   * @param name the name
   * @param converter the converter
   * @throws IllegalArgumentException if the name is malformed or taken, or the regex does not compile
   */
  public static void registerConverter(String name, PathConverter<?> converter) {
    Converters.register(name, converter);
  }

  private static Application consumerApp(Supplier<? extends AsyncConsumer> consumer) {
    return AsyncConsumer.asApplication(Objects.requireNonNull(consumer, "consumer"));
  }
}
