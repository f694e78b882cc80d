package io.channels4j.spring;

import java.util.function.Consumer;

/** Applies a property to a builder only when it was set, so a left-out property keeps the builder's default. */
final class Setters {

  private Setters() {}

  static <T> void ifSet(T value, Consumer<? super T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
