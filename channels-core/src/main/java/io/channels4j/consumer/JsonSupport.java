package io.channels4j.consumer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.internal.LogText;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON for both JSON consumer families: one mapper, one set of rules for bad frames. */
final class JsonSupport {

  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static final String BINARY_REASON = "binary frames are not accepted: send JSON text";

  private JsonSupport() {}

  /** Decodes a text frame; a consumer's overridable {@code decodeJson}. */
  @FunctionalInterface
  interface Decoder {
    JsonNode decode(String text) throws JsonProcessingException;
  }

  /** A frame as a JSON consumer sees it: decoded {@code content}, or the close code and reason to answer with. */
  record Frame(JsonNode content, int closeCode, String reason) {
    boolean decoded() {
      return content != null;
    }
  }

  /**
   * Reads one frame for a JSON consumer, both families: a binary frame means close 1003, text that does
   * not parse close 1007 (each logged at INFO with the path, escaped).
   */
  static Frame read(AsyncConsumer consumer, String textData, Decoder decoder) {
    Logger log = LoggerFactory.getLogger(consumer.getClass());
    String path = LogText.escape(consumer.scope().path());
    if (textData == null) {
      log.info("{} on {}: binary frame where JSON text was expected; closing with 1003", consumer.getClass().getName(), path);
      return new Frame(null, WebsocketSupport.UNSUPPORTED_DATA, BINARY_REASON);
    }
    try {
      return new Frame(decoder.decode(textData), 0, null);
    } catch (JsonProcessingException e) {
      String reason = invalidReason(e);
      log.info("{} on {}: {}; closing with 1007", consumer.getClass().getName(), path, LogText.escape(reason));
      return new Frame(null, WebsocketSupport.INVALID_PAYLOAD, reason);
    }
  }

  static JsonNode decode(String text) throws JsonProcessingException {
    JsonNode node = MAPPER.readTree(text);
    if (node == null || node.isMissingNode()) {
      throw JsonMappingException.from((JsonParser) null, "empty frame, no JSON value");
    }
    return node;
  }

  static String encode(Object content) {
    try {
      return MAPPER.writeValueAsString(content);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot encode " + content.getClass().getName() + " as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The close reason for JSON that does not parse, naming where it broke. */
  static String invalidReason(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    return at == null
        ? "invalid JSON: " + e.getOriginalMessage()
        : "invalid JSON at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }
}
