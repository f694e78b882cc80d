package io.channels4j.routing;

import java.util.List;
import java.util.Map;

/** A compiled route pattern: matches the start (or all) of a path and returns what it captured. */
interface RoutePattern {

  /**
   * Matches {@code path} (already stripped of leading slashes).
   *
   * @return the match, or null if the path does not match
   */
  Match match(String path);

  /**
   * A successful match.
   *
   * @param rest the part of the path after the match ({@code ""} for a full match)
   * @param args positional captures (never null elements)
   * @param kwargs named captures (never null values)
   */
  record Match(String rest, List<Object> args, Map<String, Object> kwargs) {}
}
