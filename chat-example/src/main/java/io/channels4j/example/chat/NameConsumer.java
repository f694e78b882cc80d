package io.channels4j.example.chat;

import io.channels4j.Header;
import io.channels4j.auth.AuthMiddleware;
import io.channels4j.auth.User;
import io.channels4j.consumer.AsyncHttpConsumer;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /chat/name/} with form field {@code name}: 1 to 32 characters of any script, stored in the
 * session as the user's display name (a login as that name, so the session key is cycled), then a 303
 * back to {@code /chat/}. A bad name gets 400 with the reason. {@code GET} shows the room named {@code
 * name}, which this path would otherwise hide.
 */
public class NameConsumer extends AsyncHttpConsumer {

  /** The longest display name, in characters (code points). */
  static final int MAX_NAME = 32;

  /** Creates the consumer of one request. */
  public NameConsumer() {}

  /** Stores the name, or explains why not. */
  @Override
  public CompletionStage<Void> handle(byte[] body) {
    if (!"POST".equals(scope().method())) {
      return Pages.respond(this, Pages.room("name"));
    }
    String name = formField(new String(body, StandardCharsets.UTF_8), "name");
    String problem = problem(name);
    if (problem != null) {
      return sendResponse(400, ("Bad Request: " + problem + "\n").getBytes(StandardCharsets.UTF_8),
          List.of(Header.of("content-type", "text/plain; charset=utf-8")));
    }
    AuthMiddleware.login(scope(), User.of(name.strip(), name.strip()));
    return sendResponse(303, new byte[0], List.of(Header.of("location", "/chat/")));
  }

  /** Why {@code name} cannot be a display name, or null if it can. */
  static String problem(String name) {
    if (name == null) {
      return "the form has no 'name' field";
    }
    String n = name.strip();
    int length = n.codePointCount(0, n.length());
    if (length < 1 || length > MAX_NAME) {
      return "a name must be 1 to " + MAX_NAME + " characters, got " + length;
    }
    boolean invisible = n.codePoints().anyMatch(c -> switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE -> true;
      default -> false;
    });
    return invisible ? "a name must not hold control or invisible formatting characters" : null;
  }

  /** The first value of {@code field} in an {@code application/x-www-form-urlencoded} body, or null. */
  static String formField(String body, String field) {
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      try {
        if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(field)) {
          return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }
}
