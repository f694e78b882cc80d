package io.channels4j.example.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.Header;
import io.channels4j.consumer.AsyncHttpConsumer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The HTML pages: templates from the classpath, the room name as {@code json_script} would write it. */
final class Pages {

  static final String INDEX = load("index.html");
  static final String ROOM = load("room.html");

  private static final String ROOM_NAME_SLOT = "{{room_name_json}}";
  private static final String DISPLAY_NAME_SLOT = "{{display_name_json}}";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Header> HTML =
      List.of(
          Header.of("content-type", "text/html; charset=utf-8"),
          Header.of("cache-control", "no-cache"),
          Header.of("x-content-type-options", "nosniff"));

  private Pages() {}

  /** The index page for a user with {@code displayName} ({@code ""} for none). */
  static String index(String displayName) {
    return INDEX.replace(DISPLAY_NAME_SLOT, jsonScript(displayName));
  }

  /** The room page for {@code roomName}. */
  static String room(String roomName) {
    return ROOM.replace(ROOM_NAME_SLOT, jsonScript(roomName));
  }

  /**
   * {@code value} as JSON that is safe inside {@code <script type="application/json">}: Django's {@code
   * json_script} escapes {@code < > &} the same way, so the text can never close the script element.
   */
  static String jsonScript(String value) {
    String json;
    try {
      json = JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write a String as JSON: " + e.getOriginalMessage(), e);
    }
    return json.replace("<", "\\u003C")
        .replace(">", "\\u003E")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029");
  }

  /** Answers GET and HEAD with {@code html}, other methods with 405. */
  static CompletionStage<Void> respond(AsyncHttpConsumer consumer, String html) {
    String method = consumer.scope().method();
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      return consumer.sendResponse(
          405,
          ("Method Not Allowed: " + method + " (this page answers GET and HEAD)\n").getBytes(StandardCharsets.UTF_8),
          List.of(Header.of("allow", "GET, HEAD"), Header.of("content-type", "text/plain; charset=utf-8")));
    }
    return consumer.sendResponse(200, html.getBytes(StandardCharsets.UTF_8), HTML);
  }

  /**
   * Redirects {@code /chat/<room>} to {@code /chat/<room>/}, as Django's {@code APPEND_SLASH} does, so
   * a room URL typed without its slash still works.
   */
  static final class AppendSlash extends AsyncHttpConsumer {
    @Override
    public CompletionStage<Void> handle(byte[] body) {
      String raw = scope().rawPath() != null ? scope().rawPath() : scope().path();
      // One leading slash only: "//host/..." would send the browser to another host.
      String path = "/" + raw.replaceFirst("^/+", "");
      String query = scope().queryString();
      String location = path + "/" + (query == null || query.isEmpty() ? "" : "?" + query);
      return sendResponse(301, new byte[0], List.of(Header.of("location", location)));
    }
  }

  private static String load(String name) {
    try (InputStream in = Pages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "page template " + name + " is missing from the classpath next to " + Pages.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read page template " + name, e);
    }
  }
}
