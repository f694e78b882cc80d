package io.channels4j.undertow;

import java.lang.reflect.Method;
import java.util.logging.Handler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Main}'s {@code -v/--verbosity} as Daphne's: 0 warnings, 1 info (and access lines), 2 debug, 3
 * trace. The adapter logs through slf4j-api only; this sets the level of whichever backend the class path
 * brings: slf4j-simple (its system property, so it must run before the first logger is made), logback
 * and {@code java.util.logging} (their root logger). Another backend keeps its own configuration.
 */
final class Verbosity {

  private Verbosity() {}

  static String level(int verbosity) {
    return switch (verbosity) {
      case 0 -> "WARN";
      case 1 -> "INFO";
      case 2 -> "DEBUG";
      default -> "TRACE";
    };
  }

  /** Sets the level; call before anything logs. */
  static void apply(int verbosity) {
    String level = level(verbosity);
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level.toLowerCase(java.util.Locale.ROOT));
    Object factory = LoggerFactory.getILoggerFactory();
    if (factory.getClass().getName().equals("ch.qos.logback.classic.LoggerContext")) {
      try {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        Class<?> levels = Class.forName("ch.qos.logback.classic.Level", true, factory.getClass().getClassLoader());
        Object l = levels.getMethod("toLevel", String.class).invoke(null, level);
        Method set = root.getClass().getMethod("setLevel", levels);
        set.invoke(root, l);
      } catch (ReflectiveOperationException e) {
        LoggerFactory.getLogger(Main.class).warn("Could not set logback's level to {}: {}", level, e.toString());
      }
    } else if (factory.getClass().getName().startsWith("org.slf4j.jul.")) {
      java.util.logging.Level jul = switch (verbosity) {
        case 0 -> java.util.logging.Level.WARNING;
        case 1 -> java.util.logging.Level.INFO;
        case 2 -> java.util.logging.Level.FINE;
        default -> java.util.logging.Level.FINEST;
      };
      java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
      root.setLevel(jul);
      for (Handler h : root.getHandlers()) {
        h.setLevel(jul);
      }
    }
  }
}
