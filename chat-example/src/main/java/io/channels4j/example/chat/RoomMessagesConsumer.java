package io.channels4j.example.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.Header;
import io.channels4j.auth.User;
import io.channels4j.consumer.AsyncHttpConsumer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /chat/<room>/messages/} with {@code {"message": "..."}} ({@code application/json}): sends
 * the message to the room as a WebSocket client would (as the session's display name, if it has one)
 * and answers 202. The request passes the same Origin check as every POST of the app ({@code
 * CsrfOriginMiddleware}: an {@code Origin} must name an allowed host, as a WebSocket's must). Another
 * content type is answered 415, a body that is not a JSON object with a string {@code message} 400, a
 * method other than POST 405.
 */
public class RoomMessagesConsumer extends AsyncHttpConsumer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Header> JSON_TYPE = List.of(Header.of("content-type", "application/json"));

  /** Creates the consumer of one request. */
  public RoomMessagesConsumer() {}

  /** Checks and posts the message. */
  @Override
  public CompletionStage<Void> handle(byte[] body) {
    if (!"POST".equals(scope().method())) {
      return sendResponse(405, error("this endpoint answers POST"),
          List.of(Header.of("allow", "POST"), Header.of("content-type", "application/json")));
    }
    String type = scope().header("content-type").orElse("");
    String mediaType = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("application/json")) {
      return sendResponse(415, error("send application/json, not '" + type + "'"), JSON_TYPE);
    }
    JsonNode message;
    try {
      JsonNode content = JSON.readTree(body);
      message = content == null || !content.isObject() ? null : content.get("message");
    } catch (IOException e) {
      return sendResponse(400, error("the body is not JSON"), JSON_TYPE);
    }
    if (message == null || !message.isTextual()) {
      return sendResponse(400, error(ChatConsumer.BAD_MESSAGE_ERROR), JSON_TYPE);
    }
    String room = scope().urlRoute().kwarg("room_name").orElseThrow();
    String user = scope().get("user").orElse(null) instanceof User u && u.isAuthenticated() ? u.username() : null;
    return RoomPosts.post(channelLayer(), RoomPosts.rooms(scope()), RoomNames.groupName(room),
            RoomPosts.chatEvent(message.textValue(), user))
        .thenCompose(v -> sendResponse(202, json(Map.of("status", "accepted")).getBytes(StandardCharsets.UTF_8), JSON_TYPE));
  }

  private static byte[] error(String reason) {
    return json(Map.of("error", reason)).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code value} as JSON text. */
  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
