package io.channels4j.internal;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.Send;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Answers a connection that no application will handle: an HTTP error response, or a WebSocket handshake
 * closed before accept (which the server turns into HTTP 403). Used by routers and security middleware.
 */
public final class Denials {

  private Denials() {}

  /**
   * Sends a complete plain-text HTTP response with {@code status} and {@code body}, without reading the
   * request body.
   */
  public static CompletionStage<Void> httpResponse(Send send, int status, String body) {
    Message start =
        Message.of(
            "http.response.start",
            "status", status,
            "headers",
            Header.toMessageValue(
                List.of(
                    Header.of("content-type", "text/plain; charset=utf-8"),
                    Header.of("x-content-type-options", "nosniff"))));
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
            m -> {
              switch (m.type()) {
                case "websocket.connect":
                  return send.send(Message.of("websocket.close", "code", 1000));
                case "websocket.disconnect":
                  return Application.done();
                default:
                  return denyWebsocket(receive, send);
              }
            });
  }

  /** Quotes {@code text} for a log line or message: single quotes, control characters escaped. */
  public static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(text.length() + 2).append('\'');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'' || c == '\\') {
        sb.append('\\').append(c);
      } else if (Character.isISOControl(c)) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append('\'').toString();
  }
}
