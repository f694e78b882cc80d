package io.channels4j.consumer;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** JSON for both JSON consumer families: one mapper, one set of rules for bad frames. */
final class JsonSupport {

  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  static final String BINARY_REASON = "binary frames are not accepted: send JSON text";

  private JsonSupport() {}

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
