package io.channels4j;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What URL routing captured: positional {@code args} and named {@code kwargs}, accumulated through
 * nested routers. Values are converted by the route's converter ({@code int} gives an Integer, {@code
 * uuid} a {@link java.util.UUID}, others a String).
 *
 * @param args positional captures (from {@code rePath} patterns without named groups)
 * @param kwargs named captures and the route's default kwargs
 */
public record UrlRoute(List<Object> args, Map<String, Object> kwargs) {

  /** An empty route. */
  public static final UrlRoute EMPTY = new UrlRoute(List.of(), Map.of());

  /**
   * Copies both parts into unmodifiable collections.
   *
   * @param args positional captures
   * @param kwargs named captures and default kwargs
   */
  public UrlRoute {
    args = List.copyOf(args);
    kwargs = Map.copyOf(kwargs);
  }

  /**
   * Returns the named capture {@code name} as a String (converted values via toString).
   *
   * @param name the name
   * @return the named capture {@code name} as a String (converted values via toString)
   */
  public Optional<String> kwarg(String name) {
    Object v = kwargs.get(name);
    return v == null ? Optional.empty() : Optional.of(v.toString());
  }

  /**
   * Returns the named capture {@code name} as a String, like {@code kwargs["name"]} in Channels; use it
   * where {@code kwarg(name).orElseThrow()} would say only "No value present".
   *
   * @param name the name
   * @return the named capture (converted values via toString)
   * @throws java.util.NoSuchElementException if the route captured no such name; the message lists the
   *     names it did capture
   */
  public String requireKwarg(String name) {
    Object v = kwargs.get(name);
    if (v == null) {
      throw new java.util.NoSuchElementException("no URL kwarg '" + name + "' in this route; its kwargs are "
          + new java.util.TreeSet<>(kwargs.keySet()) + (args.isEmpty() ? "" : " and it has " + args.size()
          + " positional args (a rePath without named groups)"));
    }
    return v.toString();
  }
}
