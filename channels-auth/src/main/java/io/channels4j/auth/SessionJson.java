package io.channels4j.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Session data as JSON text, written as Python's {@code json.dumps(obj, separators=(",", ":"))} writes it
 * (non-ASCII escaped as {@code \\uXXXX}), so Django reads what Java writes.
 */
final class SessionJson {

  private static final JsonMapper JSON = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private SessionJson() {}

  static String write(Map<String, Object> data) {
    try {
      return JSON.writeValueAsString(data);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("session data is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Reads a JSON object. @throws IllegalArgumentException if the text is not one */
  static Map<String, Object> read(String json) {
    try {
      Map<String, Object> map = JSON.readValue(json, MAP);
      if (map == null) {
        throw new IllegalArgumentException("session data is not a JSON object");
      }
      return map;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("session data is not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Returns {@code value} if JSON can carry it (String, Number, Boolean, null, List and Map with String keys
   * of those), else throws naming the key and the type.
   */
  static Object check(String key, Object value) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    if (value instanceof List<?> list) {
      list.forEach(v -> check(key, v));
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        if (!(k instanceof String)) {
          throw new IllegalArgumentException("session value '" + key + "' holds a map with a non-String key");
        }
        check(key, v);
      });
      return value;
    }
    throw new IllegalArgumentException("session value '" + key + "' must be JSON (String, number, Boolean, null, "
        + "List, Map), got " + value.getClass().getName());
  }
}
