package io.channels4j;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An event or a channel-layer message: an immutable map with a {@code type}.
 *
 * <p>Values are limited to what both msgpack and JSON carry, so that every channel layer accepts the
 * same messages: {@link String}, {@code byte[]}, integers (stored as {@link Long}, or {@link
 * BigInteger} between 2<sup>63</sup> and 2<sup>64</sup>-1), floating point (stored as {@link Double}),
 * {@link Boolean}, {@code null}, {@link List} and {@link Map} with {@link String} keys, nested freely.
 * Anything else is rejected when the message is built, naming the key and the type. Lists and maps
 * are copied into unmodifiable collections and byte arrays are copied, so a message can be shared
 * between threads and receivers without copying.
 *
 * <pre>{@code
 * Message m = Message.of("chat.message", "message", "hello");
 * String text = m.getString("message");
 * }</pre>
 */
public final class Message {

  /** The key holding the message type. */
  public static final String TYPE = "type";

  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private final Map<String, Object> fields;

  private Message(Map<String, Object> fields) {
    this.fields = fields;
  }

  /**
   * Builds a message of {@code type} from alternating keys and values.
   *
   * @param type the type
   * @param keysAndValues alternating keys and values
   * @return the message
   * @throws IllegalArgumentException if a key is not a String, a key repeats, or a value has a type
   *     that msgpack/JSON cannot carry
   */
  public static Message of(String type, Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "keysAndValues must alternate keys and values, got an odd count: " + keysAndValues.length);
    }
    Builder b = builder(type);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (!(keysAndValues[i] instanceof String)) {
        throw new IllegalArgumentException(
            "message keys must be Strings, got " + typeName(keysAndValues[i]) + " at position " + i);
      }
      b.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return b.build();
  }

  /**
   * Builds a message from a map that must contain a String {@code type}.
   *
   * @param map the map
   * @return the message
   * @throws IllegalArgumentException if {@code type} is missing or not a String, or a value cannot be
   *     carried
   */
  public static Message fromMap(Map<String, ?> map) {
    Objects.requireNonNull(map, "map");
    Object type = map.get(TYPE);
    if (!(type instanceof String)) {
      throw new IllegalArgumentException(
          "message needs a String 'type', got " + (type == null ? "none" : typeName(type)) + " in " + map.keySet());
    }
    Builder b = new Builder();
    for (Map.Entry<String, ?> e : map.entrySet()) {
      b.put(e.getKey(), e.getValue());
    }
    return b.build();
  }

  /**
   * Starts a builder for a message of {@code type}.
   *
   * @param type the type
   * @return a new builder
   */
  public static Builder builder(String type) {
    Objects.requireNonNull(type, "type");
    return new Builder().put(TYPE, type);
  }

  /** {@return a new builder holding this message's fields} */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.fields.putAll(fields);
    return b;
  }

  /** {@return this message's type, e.g. {@code "websocket.receive"} or {@code "chat.message"}} */
  public String type() {
    return (String) fields.get(TYPE);
  }

  /**
   * Returns true if the message has {@code key} (even with a null value).
   *
   * @param key the key
   * @return true if the message has {@code key} (even with a null value)
   */
  public boolean has(String key) {
    return fields.containsKey(key);
  }

  /**
   * Returns the value of {@code key}, or null. Byte arrays are returned as copies.
   *
   * @param key the key
   * @return the value of {@code key}, or null
   */
  public Object get(String key) {
    Object v = fields.get(key);
    return v instanceof byte[] ? ((byte[]) v).clone() : v;
  }

  /**
   * Returns the String value of {@code key}, or null if absent or null.
   *
   * @param key the key
   * @return the String value of {@code key}, or null if absent or null
   */
  public String getString(String key) {
    return typed(key, String.class);
  }

  /**
   * Returns a copy of the byte[] value of {@code key}, or null if absent or null.
   *
   * @param key the key
   * @return a copy of the byte[] value of {@code key}, or null if absent or null
   */
  public byte[] getBytes(String key) {
    byte[] b = typed(key, byte[].class);
    return b == null ? null : b.clone();
  }

  /**
   * Returns a read-only view of the byte[] value of {@code key}, without copying, or null.
   *
   * @param key the key
   * @return a read-only view of the byte[] value of {@code key}, without copying, or null
   */
  public ByteBuffer getByteBuffer(String key) {
    byte[] b = typed(key, byte[].class);
    return b == null ? null : ByteBuffer.wrap(b).asReadOnlyBuffer();
  }

  /**
   * Returns the integer value of {@code key} as a long, or {@code fallback} if absent or null.
   *
   * @param key the key
   * @param fallback the fallback
   * @return the integer value of {@code key} as a long, or {@code fallback} if absent or null
   */
  public long getLong(String key, long fallback) {
    Number n = typed(key, Number.class);
    return n == null ? fallback : n.longValue();
  }

  /**
   * Returns the integer value of {@code key} as an int, or {@code fallback} if absent or null.
   *
   * @param key the key
   * @param fallback the fallback
   * @return the integer value of {@code key} as an int, or {@code fallback} if absent or null
   */
  public int getInt(String key, int fallback) {
    Number n = typed(key, Number.class);
    return n == null ? fallback : Math.toIntExact(n.longValue());
  }

  /**
   * Returns the Boolean value of {@code key}, or {@code fallback} if absent or null.
   *
   * @param key the key
   * @param fallback the fallback
   * @return the Boolean value of {@code key}, or {@code fallback} if absent or null
   */
  public boolean getBoolean(String key, boolean fallback) {
    Boolean b = typed(key, Boolean.class);
    return b == null ? fallback : b;
  }

  /**
   * Returns the (unmodifiable) List value of {@code key}, or null.
   *
   * @param key the key
   * @return the (unmodifiable) List value of {@code key}, or null
   */
  @SuppressWarnings("unchecked")
  public List<Object> getList(String key) {
    return typed(key, List.class);
  }

  /**
   * Returns the (unmodifiable) Map value of {@code key}, or null.
   *
   * @param key the key
   * @return the (unmodifiable) Map value of {@code key}, or null
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> getMap(String key) {
    return typed(key, Map.class);
  }

  /**
   * Returns a copy of this message with {@code key} set to {@code value}.
   *
   * @param key the key
   * @param value the value
   * @return a copy of this message with {@code key} set to {@code value}
   */
  public Message with(String key, Object value) {
    return toBuilder().put(key, value).build();
  }

  /**
   * Returns a copy of this message without {@code key}; the type cannot be removed.
   *
   * @param key the key
   * @return a copy of this message without {@code key}; the type cannot be removed
   */
  public Message without(String key) {
    if (TYPE.equals(key)) {
      throw new IllegalArgumentException("a message's 'type' cannot be removed");
    }
    if (!fields.containsKey(key)) {
      return this;
    }
    Builder b = toBuilder();
    b.fields.remove(key);
    return b.build();
  }

  /**
   * Returns the fields as an unmodifiable map, in insertion order. Byte arrays in it are the message's
   * own: do not modify them. Layers use this view to serialize without copying.
   *
   * @return the fields as an unmodifiable map, in insertion order
   */
  public Map<String, Object> asMap() {
    return fields;
  }

  /** {@return the number of fields, {@code type} included} */
  public int size() {
    return fields.size();
  }

  private <T> T typed(String key, Class<T> type) {
    Object v = fields.get(key);
    if (v == null) {
      return null;
    }
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException(
          "message '" + type() + "' key '" + key + "' holds " + typeName(v) + ", not " + type.getSimpleName());
    }
    return type.cast(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Message && deepEquals(fields, ((Message) o).fields);
  }

  @Override
  public int hashCode() {
    return deepHash(fields);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Message");
    appendValue(sb, fields);
    return sb.toString();
  }

  private static void appendValue(StringBuilder sb, Object v) {
    if (v instanceof Map<?, ?> map) {
      sb.append('{');
      String sep = "";
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sb.append(sep).append(e.getKey()).append('=');
        appendValue(sb, e.getValue());
        sep = ", ";
      }
      sb.append('}');
    } else if (v instanceof List<?> list) {
      sb.append('[');
      String sep = "";
      for (Object o : list) {
        sb.append(sep);
        appendValue(sb, o);
        sep = ", ";
      }
      sb.append(']');
    } else if (v instanceof byte[] b) {
      sb.append("bytes[").append(b.length).append(']');
    } else if (v instanceof String s) {
      sb.append('"').append(s.length() > 200 ? s.substring(0, 200) + "..." : s).append('"');
    } else {
      sb.append(v);
    }
  }

  private static boolean deepEquals(Object a, Object b) {
    if (a instanceof byte[] ba && b instanceof byte[] bb) {
      return Arrays.equals(ba, bb);
    }
    if (a instanceof Map<?, ?> ma && b instanceof Map<?, ?> mb) {
      if (ma.size() != mb.size()) {
        return false;
      }
      for (Map.Entry<?, ?> e : ma.entrySet()) {
        if (!mb.containsKey(e.getKey()) || !deepEquals(e.getValue(), mb.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List<?> la && b instanceof List<?> lb) {
      if (la.size() != lb.size()) {
        return false;
      }
      for (int i = 0; i < la.size(); i++) {
        if (!deepEquals(la.get(i), lb.get(i))) {
          return false;
        }
      }
      return true;
    }
    return Objects.equals(a, b);
  }

  private static int deepHash(Object v) {
    if (v instanceof byte[] bytes) {
      return Arrays.hashCode(bytes);
    }
    if (v instanceof Map<?, ?> map) {
      int h = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        h += Objects.hashCode(e.getKey()) ^ deepHash(e.getValue());
      }
      return h;
    }
    if (v instanceof List<?> list) {
      int h = 1;
      for (Object o : list) {
        h = 31 * h + deepHash(o);
      }
      return h;
    }
    return Objects.hashCode(v);
  }

  static String typeName(Object v) {
    return v == null ? "null" : v.getClass().getName();
  }

  /**
   * Validates and normalizes a value for a message: integers become Long (or BigInteger in the unsigned
   * 64-bit range above Long.MAX_VALUE), floats become Double, collections become unmodifiable copies,
   * byte arrays are copied.
   */
  static Object normalize(String path, Object v) {
    if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
      return v;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Float) {
      return ((Float) v).doubleValue();
    }
    if (v instanceof BigInteger) {
      BigInteger bi = (BigInteger) v;
      if (bi.bitLength() <= 63) {
        return bi.longValue();
      }
      if (bi.signum() > 0 && bi.compareTo(UINT64_MAX) <= 0 && bi.compareTo(LONG_MAX) > 0) {
        return bi;
      }
      throw new IllegalArgumentException(
          "message key '" + path + "' holds integer " + bi + ", outside the 64-bit range msgpack can carry");
    }
    if (v instanceof byte[]) {
      return ((byte[]) v).clone();
    }
    if (v instanceof ByteBuffer) {
      ByteBuffer buf = ((ByteBuffer) v).duplicate();
      byte[] b = new byte[buf.remaining()];
      buf.get(b);
      return b;
    }
    if (v instanceof Map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException(
              "message key '" + path + "' holds a map with a " + typeName(e.getKey())
                  + " key; only String keys can be carried");
        }
        String k = (String) e.getKey();
        copy.put(k, normalize(path + "." + k, e.getValue()));
      }
      return Collections.unmodifiableMap(copy);
    }
    if (v instanceof List || v instanceof Object[]) {
      List<?> in = v instanceof List ? (List<?>) v : Arrays.asList((Object[]) v);
      List<Object> copy = new ArrayList<>(in.size());
      int i = 0;
      for (Object o : in) {
        copy.add(normalize(path + "[" + i++ + "]", o));
      }
      return Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        "message key '" + path + "' holds a " + typeName(v)
            + "; only String, byte[], integers, floating point, Boolean, null, List and Map<String, ?> can be carried");
  }

  /** Builds a {@link Message}; every value is validated when it is put. Not thread-safe. */
  public static final class Builder {
    private Map<String, Object> fields = new LinkedHashMap<>();
    /** Set by build(), which hands its map to the message; a later put copies it first. */
    private boolean built;

    private Builder() {}

    /**
     * Sets {@code key} to {@code value}.
     *
     * @param key the key
     * @param value the value
     * @return this builder
     * @throws IllegalArgumentException if the value cannot be carried by every layer
     */
    public Builder put(String key, Object value) {
      Objects.requireNonNull(key, "key");
      if (TYPE.equals(key) && !(value instanceof String)) {
        throw new IllegalArgumentException("message 'type' must be a String, got " + typeName(value));
      }
      Object v = normalize(key, value);
      if (built) {
        fields = new LinkedHashMap<>(fields);
        built = false;
      }
      fields.put(key, v);
      return this;
    }

    /**
     * Sets every entry of {@code map}.
     *
     * @param map the map
     * @return this builder
     */
    public Builder putAll(Map<String, ?> map) {
      map.forEach(this::put);
      return this;
    }

    /**
     * Returns the immutable message.
     *
     * @return the immutable message
     */
    public Message build() {
      if (!(fields.get(TYPE) instanceof String)) {
        throw new IllegalArgumentException("message needs a String 'type'");
      }
      built = true;
      return new Message(Collections.unmodifiableMap(fields));
    }
  }
}
