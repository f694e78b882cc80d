package io.channels4j;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One HTTP header: the name lower-cased (as ASGI requires), the value as sent (ISO-8859-1 text).
 *
 * @param name the header name, lower case
 * @param value the header value
 */
public record Header(String name, String value) {

  /**
   * Lower-cases the name and checks both parts are present.
   *
   * @param name the header name, any case
   * @param value the header value
   */
  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    name = name.toLowerCase(Locale.ROOT);
  }

  /**
   * Converts headers to their form inside a {@link Message} ({@code http.response.start}, {@code
   * websocket.accept}): a list of {@code [name, value]} string pairs.
   *
   * @param headers the headers
   * @return the {@code [name, value]} pairs
   */
  public static List<Object> toMessageValue(List<Header> headers) {
    List<Object> out = new ArrayList<>(headers.size());
    for (Header h : headers) {
      out.add(List.of(h.name(), h.value()));
    }
    return out;
  }

  /**
   * Reads headers from their form inside a {@link Message}: a list of {@code [name, value]} pairs of
   * strings (or byte arrays, read as ISO-8859-1). Null gives an empty list.
   *
   * @param value the message value, or null
   * @return the headers, in order
   * @throws IllegalArgumentException if an entry is not such a pair
   */
  public static List<Header> fromMessageValue(Object value) {
    if (value == null) {
      return List.of();
    }
    if (!(value instanceof List)) {
      throw new IllegalArgumentException("headers must be a list of [name, value] pairs, got " + value.getClass().getName());
    }
    List<Header> out = new ArrayList<>();
    for (Object o : (List<?>) value) {
      if (!(o instanceof List) || ((List<?>) o).size() != 2) {
        throw new IllegalArgumentException("each header must be a [name, value] pair, got " + o);
      }
      List<?> pair = (List<?>) o;
      out.add(new Header(text(pair.get(0)), text(pair.get(1))));
    }
    return out;
  }

  private static String text(Object o) {
    if (o instanceof String) {
      return (String) o;
    }
    if (o instanceof byte[]) {
      return new String((byte[]) o, StandardCharsets.ISO_8859_1);
    }
    throw new IllegalArgumentException("header names and values must be strings or bytes, got " + o);
  }

  /**
   * Creates a header.
   *
   * @param name the header name
   * @param value the header value
   * @return the header
   */
  public static Header of(String name, String value) {
    return new Header(name, value);
  }
}
