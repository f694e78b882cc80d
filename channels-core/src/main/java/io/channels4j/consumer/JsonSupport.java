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
import java.util.Map;
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

  /**
   * Encodes {@code content}. A small map of scalars (String keys; String, Boolean, Long, Integer, Double
   * or null values) equal by key and identical by value to one encoded recently gets the same text again
   * without encoding: every member of a group gets the same Message, so each member's {@code
   * sendJson(Map.of("message", event.get("message")))} costs one JSON encoding per group message instead
   * of one per member, whichever thread each member's handler runs on. Values are compared by identity
   * and only immutable ones are remembered, so the text is always what Jackson would write.
   */
  static String encode(Object content) {
    if (content instanceof Map<?, ?> map && map.size() <= Encoded.MAX_ENTRIES
        && content.getClass().getName().startsWith("java.util.")) {
      int slot = Encoded.slot(map);
      Encoded e = RECENT[slot];
      if (e != null && e.matches(map)) {
        return e.text;
      }
      String text = encodeNow(content);
      Encoded remembered = Encoded.of(map, text);
      if (remembered != null) {
        RECENT[slot] = remembered; // racy on purpose: an Encoded is immutable, a lost write is only a miss
      }
      return text;
    }
    return encodeNow(content);
  }

  /** Recently encoded small maps, by the identity of their values (direct-mapped). */
  private static final Encoded[] RECENT = new Encoded[256];

  /** One small map of scalars as encoded: its keys and values (by identity) in order, and its text. */
  static final class Encoded {
    static final int MAX_ENTRIES = 4;
    /** Longer texts are not kept, so the table never pins much. */
    static final int MAX_TEXT = 4 * 1024;
    private final Object[] entries;
    private final String text;

    private Encoded(Object[] entries, String text) {
      this.entries = entries;
      this.text = text;
    }

    static int slot(Map<?, ?> map) {
      int h = 0;
      for (Object v : map.values()) {
        h = 31 * h + System.identityHashCode(v);
      }
      return (h ^ (h >>> 8) ^ (h >>> 16)) & (RECENT.length - 1);
    }

    /** Whether {@code map} has the same keys in the same order and the same value objects. */
    boolean matches(Map<?, ?> map) {
      if (map.size() * 2 != entries.length) {
        return false;
      }
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (i == entries.length || !entries[i].equals(e.getKey()) || entries[i + 1] != e.getValue()) {
          return false;
        }
        i += 2;
      }
      return i == entries.length;
    }

    /** {@code map} and its text, or null if it holds a value that could change or the text is long. */
    static Encoded of(Map<?, ?> map, String text) {
      Object[] entries = new Object[map.size() * 2];
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        Object v = e.getValue();
        boolean scalar = v == null || v instanceof String || v instanceof Boolean || v instanceof Long
            || v instanceof Integer || v instanceof Double;
        if (i == entries.length || !(e.getKey() instanceof String) || !scalar || text.length() > MAX_TEXT) {
          return null;
        }
        entries[i++] = e.getKey();
        entries[i++] = v;
      }
      return i == entries.length ? new Encoded(entries, text) : null;
    }
  }

  private static String encodeNow(Object content) {
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
