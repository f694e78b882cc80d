package io.channels4j;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** What a test does when a tool it needs (redis-server, Django, chromium) is missing. Shipped in the test-jar. */
public final class MissingTool {

  private MissingTool() {}

  /**
   * Fails the test under {@code CI=true} (a missing tool is a failure there); elsewhere prints {@code message}
   * loudly to stderr and aborts the test, so it shows as skipped.
   */
  public static void skipOrFail(String message) {
    String loud = "*** " + message + " ***";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      Assertions.fail(loud + " (CI=true: a missing tool is a failure, not a skip)");
    }
    System.err.println(loud);
    Assumptions.abort(loud);
  }
}
