package io.channels4j.internal;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Answers a connection that no application will handle: an HTTP error response, or a WebSocket handshake
 * closed before accept (which the server turns into HTTP 403). Used by routers and security middleware.
 */
public final class Denials {

  private static final Object TEXT_HEADERS = Header.toMessageValue(List.of(
      Header.of("content-type", "text/plain; charset=utf-8"), Header.of("x-content-type-options", "nosniff")));

  private Denials() {}

  /**
   * Sends a complete plain-text HTTP response with {@code status} and {@code body}, without reading the
   * request body.
   */
  public static CompletionStage<Void> httpResponse(Send send, int status, String body) {
    Message start = Message.of("http.response.start", "status", status, "headers", TEXT_HEADERS);
    Message content = Message.of("http.response.body", "body", body.getBytes(StandardCharsets.UTF_8));
    return send.send(start).thenCompose(v -> send.send(content));
  }

  /**
   * Rejects a WebSocket handshake as Channels' {@code WebsocketDenier} does: waits for {@code
   * websocket.connect}, then sends {@code websocket.close} (code 1000) before any accept. Completes
   * without sending anything if the client disconnects first.
   */
  public static CompletionStage<Void> denyWebsocket(Receive receive, Send send) {
    return receive
        .receive()
        .thenCompose(
            m -> switch (m.type()) {
              case "websocket.connect" -> send.send(Message.of("websocket.close", "code", 1000));
              case "websocket.disconnect" -> Application.done();
              default -> denyWebsocket(receive, send);
            });
  }

  /** Quotes {@code text} for a log line or message: single quotes, control characters escaped ({@link LogText}). */
  public static String quote(String text) {
    return text == null ? "null" : "'" + LogText.escape(text).replace("'", "\\'") + "'";
  }

  /**
   * True if the server announced ASGI's WebSocket Denial Response extension ({@code
   * websocket.http.response} in the scope's {@code extensions}), so a handshake can be refused with any
   * HTTP status instead of a close.
   */
  public static boolean supportsDenialResponse(Scope scope) {
    return scope.get("extensions").orElse(null) instanceof Map<?, ?> extensions
        && extensions.containsKey("websocket.http.response");
  }

  /**
   * Refuses a WebSocket handshake with an HTTP response ({@code websocket.http.response.start} and
   * {@code .body}): only for servers that {@link #supportsDenialResponse support} the extension.
   */
  public static CompletionStage<Void> websocketHttpResponse(Send send, int status, String body) {
    Message start = Message.of("websocket.http.response.start", "status", status, "headers", TEXT_HEADERS);
    Message content = Message.of("websocket.http.response.body", "body", body.getBytes(StandardCharsets.UTF_8));
    return send.send(start).thenCompose(v -> send.send(content));
  }
}
