package io.channels4j.testing;

import io.channels4j.Application;
import io.channels4j.undertow.ChannelsServer;

/**
 * What a {@link ChannelsLiveServer} test class serves. Implementations need a no-argument constructor (a
 * nested class of the test class is fine).
 */
public interface LiveServerSetup {

  /** {@return the application to serve; called once per test class} */
  Application application();

  /**
   * Adjusts the server before it starts (limits, timeouts, allowed hosts). The host is 127.0.0.1 and the
   * port 0; does nothing unless overridden.
   *
   * @param builder the builder of the server about to start, to adjust in place
   */
  default void configure(ChannelsServer.Builder builder) {}
}
