package io.channels4j.consumer;

import io.channels4j.Header;
import io.channels4j.Message;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The WebSocket events both consumer families send; one place for their shape and rules. */
final class WebsocketSupport {

  /** Close code: normal closure. */
  static final int NORMAL = 1000;
  /** Close code: a frame type the endpoint cannot accept (binary where text was expected). */
  static final int UNSUPPORTED_DATA = 1003;
  /** Close code: data inconsistent with the message type (invalid JSON). */
  static final int INVALID_PAYLOAD = 1007;
  /** Close code: the server hit an unexpected condition. */
  static final int INTERNAL_ERROR = 1011;

  private WebsocketSupport() {}

  static Message accept(String subprotocol, List<Header> headers) {
    Message.Builder b = Message.builder("websocket.accept");
    if (subprotocol != null) {
      b.put("subprotocol", subprotocol);
    }
    if (headers != null && !headers.isEmpty()) {
      for (Header h : headers) {
        if (h.name().equals("sec-websocket-protocol")) {
          throw new IllegalArgumentException(
              "accept headers must not contain sec-websocket-protocol; pass the subprotocol instead");
        }
      }
      b.put("headers", Header.toMessageValue(headers));
    }
    return b.build();
  }

  static Message text(String text) {
    if (text == null) {
      throw new IllegalArgumentException("WebSocket text frame must not be null");
    }
    return Message.of("websocket.send", "text", text);
  }

  static Message bytes(byte[] bytes) {
    if (bytes == null) {
      throw new IllegalArgumentException("WebSocket binary frame must not be null");
    }
    return Message.of("websocket.send", "bytes", bytes);
  }

  static Message close(int code, String reason) {
    if (code != NORMAL && (code < 3000 || code > 4999) && (code < 1000 || code > 1014 || code == 1004
        || code == 1005 || code == 1006)) {
      throw new IllegalArgumentException(
          "close code must be 1000, 1001-1003, 1007-1014 or 3000-4999, got " + code);
    }
    Message.Builder b = Message.builder("websocket.close").put("code", code);
    if (reason != null && !reason.isEmpty()) {
      b.put("reason", truncateReason(reason));
    }
    return b.build();
  }

  /** A close reason is at most 123 UTF-8 bytes (RFC 6455 5.5); longer ones are cut at a character. */
  static String truncateReason(String reason) {
    if (reason.getBytes(StandardCharsets.UTF_8).length <= 123) {
      return reason;
    }
    StringBuilder sb = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < reason.length(); ) {
      int cp = reason.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > 120) {
        break;
      }
      sb.appendCodePoint(cp);
      bytes += n;
      i += Character.charCount(cp);
    }
    return sb.append("...").toString();
  }

  static List<String> requireGroups(AsyncConsumer consumer, List<String> groups) {
    if (!groups.isEmpty() && !consumer.hasChannelLayer()) {
      throw new IllegalStateException(
          "consumer " + consumer.getClass().getName() + " declares groups " + groups
              + " but no channel layer is registered under alias '" + consumer.channelLayerAlias() + "'");
    }
    return groups;
  }
}
