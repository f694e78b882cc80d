package io.channels4j.routing;

import java.util.Objects;
import java.util.function.Function;

/**
 * Converts one {@code <converter:name>} segment of a {@link Routes#path path()} pattern: the Java form of
 * a Django path converter.
 *
 * <p>{@link #regex()} says which text the segment may match; {@link #toJava(String)} turns the matched
 * text into the value stored in {@link io.channels4j.UrlRoute#kwargs()}. If {@code toJava} throws {@link
 * IllegalArgumentException} (e.g. a {@link NumberFormatException}), the route does not match and routing
 * goes on with the next route, as when Django's {@code to_python} raises {@code ValueError}.
 *
 * <p>Register custom converters with {@link Routes#registerConverter(String, PathConverter)} before building
 * the routes that use them:
 *
 * <pre>{@code
 * Routes.registerConverter("year", PathConverter.of("[0-9]{4}", Integer::valueOf));
 * URLRouter.of(path("archive/<year:year>/", ArchiveConsumer::new));
 * }</pre>
 *
 * @param <T> the type of the converted value
 */
public interface PathConverter<T> {

  /**
   * {@return the regular expression ({@link java.util.regex.Pattern} syntax) one segment must match, without
   * anchors, e.g. {@code [0-9]+}} Prefer non-capturing groups {@code (?:...)} inside it.
   */
  String regex();

  /**
   * Converts the matched text to the captured value (never null).
   *
   * @param value the matched text
   * @return the captured value
   * @throws IllegalArgumentException if the text is not acceptable; the route then does not match
   */
  T toJava(String value);

  /**
   * Makes a converter from a regular expression and a conversion function.
   *
   * @param regex what a segment must match, e.g. {@code [0-9]{4}}
   * @param toJava converts the matched text; throwing {@link IllegalArgumentException} means "no match"
   * @param <T> the type of the captured value
   * @return the converter
   */
  static <T> PathConverter<T> of(String regex, Function<String, T> toJava) {
    Objects.requireNonNull(regex, "regex");
    Objects.requireNonNull(toJava, "toJava");
    return new PathConverter<T>() {
      @Override
      public String regex() {
        return regex;
      }

      @Override
      public T toJava(String value) {
        return toJava.apply(value);
      }

      @Override
      public String toString() {
        return "PathConverter[" + regex + "]";
      }
    };
  }
}
