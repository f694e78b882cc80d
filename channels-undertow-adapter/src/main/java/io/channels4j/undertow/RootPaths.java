package io.channels4j.undertow;

/** What a scope's {@code root_path} may be: the builder's option and a trusted proxy's {@code Daphne-Root-Path}. */
final class RootPaths {

  private RootPaths() {}

  /** Empty, or starting with {@code /} and not ending with one, without control characters. */
  static boolean valid(String rootPath) {
    if (rootPath.isEmpty()) {
      return true;
    }
    return rootPath.startsWith("/") && !rootPath.endsWith("/") && rootPath.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
  }
}
