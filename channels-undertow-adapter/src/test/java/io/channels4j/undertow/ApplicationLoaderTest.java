package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApplicationLoaderTest {

  private static final String C = CliApps.class.getName();
  private static final ClassLoader LOADER = ApplicationLoaderTest.class.getClassLoader();

  @Test
  void resolvesEveryShape() {
    assertThat(ApplicationLoader.load(C + "::ECHO", LOADER)).isSameAs(CliApps.ECHO);
    assertThat(ApplicationLoader.load(C + "::echo", LOADER)).isSameAs(CliApps.ECHO);
    assertThat(ApplicationLoader.load(C + "::supplier", LOADER)).isSameAs(CliApps.ECHO);
    assertThat(ApplicationLoader.load(C + ":ECHO", LOADER)).as("Daphne's module:attribute").isSameAs(CliApps.ECHO);
    assertThat(ApplicationLoader.load(C + "$AsClass", LOADER)).isInstanceOf(CliApps.AsClass.class);
    assertThat(ApplicationLoader.load(C + "$AsSupplier", LOADER)).isSameAs(CliApps.ECHO);
  }

  @Test
  void errorsSayWhatWasWrong() {
    assertThatThrownBy(() -> ApplicationLoader.load("com.x.Y", LOADER))
        .hasMessage("class com.x.Y not found on the class path");
    assertThatThrownBy(() -> ApplicationLoader.load("com.x.Y::app", LOADER))
        .hasMessage("class com.x.Y not found on the class path");
    assertThatThrownBy(() -> ApplicationLoader.load(C + "::app", LOADER))
        .hasMessage(C + "::app is neither a public static field nor a public static no-arg method");
    assertThatThrownBy(() -> ApplicationLoader.load(C + "::instanceField", LOADER))
        .hasMessage(C + "::instanceField is neither a public static field nor a public static no-arg method");
    assertThatThrownBy(() -> ApplicationLoader.load(C + "::withArgument", LOADER))
        .hasMessageContaining("nor a public static no-arg method");
    assertThatThrownBy(() -> ApplicationLoader.load(C + "::NULL_FIELD", LOADER))
        .hasMessage(C + "::NULL_FIELD returned null, not an Application");
    assertThatThrownBy(() -> ApplicationLoader.load(C + "::nothing", LOADER))
        .hasMessage(C + "::nothing returned null, not an Application");
    assertThatThrownBy(() -> ApplicationLoader.load(C + "::NOT_AN_APP", LOADER))
        .hasMessage(C + "::NOT_AN_APP is a java.lang.String, not an io.channels4j.Application or Supplier<Application>");
    assertThatThrownBy(() -> ApplicationLoader.load(C + "::broken", LOADER))
        .hasMessage(C + "::broken() failed: java.lang.IllegalStateException: no layer configured");
    assertThatThrownBy(() -> ApplicationLoader.load(C + "$Neither", LOADER))
        .hasMessage("class " + C + "$Neither implements neither io.channels4j.Application nor "
            + "java.util.function.Supplier<Application>");
    assertThatThrownBy(() -> ApplicationLoader.load(C + "$NeedsArgument", LOADER))
        .hasMessage("class " + C + "$NeedsArgument has no public no-arg constructor");
    assertThatThrownBy(() -> ApplicationLoader.load(C + "::", LOADER))
        .hasMessage("the application must be a class name or Class::member, got '" + C + "::'");
  }
}
