package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import org.junit.jupiter.api.Test;

/** Undertow's JBoss Logging is routed to SLF4J by default, so its lines reach the application's logger. */
class JBossLoggingDefaultTest {

  @Test
  void loadingTheServerRoutesJBossLoggingToSlf4jUnlessChosen() {
    ChannelsServer.builder((scope, receive, send) -> Application.done());

    // surefire sets no provider, so the server's default applies (an application's own choice is kept).
    assertThat(System.getProperty(JBossLogging.PROVIDER_PROPERTY)).isEqualTo("slf4j");
    assertThat(org.jboss.logging.Logger.getLogger("channels4j.test").getClass().getName())
        .as("JBoss Logging's logger class").containsIgnoringCase("slf4j");
  }
}
