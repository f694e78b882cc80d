package io.channels4j.undertow;

/**
 * Undertow and XNIO log through JBoss Logging, which would otherwise pick java.util.logging and bypass the
 * application's SLF4J set-up: route it to SLF4J unless the application chose a provider itself.
 */
final class JBossLogging {

  /** The system property JBoss Logging reads to pick its back end. */
  static final String PROVIDER_PROPERTY = "org.jboss.logging.provider";

  private JBossLogging() {}

  static void useSlf4jUnlessChosen() {
    if (System.getProperty(PROVIDER_PROPERTY) == null) {
      System.setProperty(PROVIDER_PROPERTY, "slf4j");
    }
  }
}
