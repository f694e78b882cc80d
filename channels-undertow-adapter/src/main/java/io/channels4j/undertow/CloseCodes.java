package io.channels4j.undertow;

import io.channels4j.Message;
import io.undertow.websockets.core.WebSocketException;
import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The WebSocket close codes this adapter sends, receives and reports, and the rules for them in one
 * place (RFC 6455 section 7.4): which code a read failure closes with, which received codes are
 * valid, and the {@code websocket.disconnect} event the application gets.
 */
final class CloseCodes {

  static final int NORMAL = 1000;
  static final int GOING_AWAY = 1001;
  static final int PROTOCOL_ERROR = 1002;
  static final int NO_STATUS = 1005;
  static final int ABNORMAL = 1006;
  static final int INVALID_DATA = 1007;
  static final int POLICY_VIOLATION = 1008;
  static final int TOO_BIG = 1009;
  static final int INTERNAL_ERROR = 1011;

  private CloseCodes() {}

  /**
   * The code to close with when reading from the peer failed with {@code error}: 1007 for text that
   * is not UTF-8, 1002 for a frame that breaks the protocol, 0 when the transport itself failed (the
   * connection is lost, there is nobody to tell).
   */
  static int forReadFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof UnsupportedEncodingException || t instanceof CharacterCodingException) {
        return INVALID_DATA;
      }
      if (t instanceof WebSocketException) {
        return PROTOCOL_ERROR;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return 0;
  }

  /** True for a code a peer may put in its close frame (1005, 1006 and 1015 are never sent). */
  static boolean receivable(int code) {
    return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
  }

  /** A close frame's payload, parsed; a payload that breaks the rules yields {@link #PROTOCOL_ERROR} or 1007. */
  record Received(int code, String reason, int violation) {}

  static Received parse(ByteBuffer payload) {
    if (payload.remaining() == 0) {
      return new Received(NO_STATUS, "", 0);
    }
    if (payload.remaining() == 1) {
      return new Received(PROTOCOL_ERROR, "", PROTOCOL_ERROR);
    }
    int code = (payload.get() & 0xff) << 8 | (payload.get() & 0xff);
    String reason;
    try {
      reason = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(payload).toString();
    } catch (CharacterCodingException e) {
      return new Received(code, "", INVALID_DATA);
    }
    return new Received(code, reason, receivable(code) ? 0 : PROTOCOL_ERROR);
  }

  static Message disconnect(int code, String reason) {
    return Message.of("websocket.disconnect", "code", code, "reason", reason);
  }
}
