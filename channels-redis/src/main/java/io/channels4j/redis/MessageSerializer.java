package io.channels4j.redis;

import java.util.Locale;
import java.util.Map;

/**
 * How a Redis layer turns a message into bytes and back: channels_redis's {@code serializer_format}
 * (4.2.1+), that is the {@code as_bytes} / {@code from_bytes} pair of a {@code BaseMessageSerializer}.
 * The layer adds the rest of channels_redis's {@code serialize} around it: Fernet encryption with
 * {@code symmetric_encryption_keys}, then the random prefix ({@code random_prefix_length}, core layer
 * only). Peers sharing a Redis must use the same format.
 *
 * <p>Built in: {@link #msgpack()} (the default) and {@link #json()}. A custom serializer must be
 * thread-safe and carry the value types of a {@link io.channels4j.Message} it is given (String, Long,
 * BigInteger, Double, Boolean, null, byte[], List, Map with String keys), or fail with {@link
 * IllegalArgumentException}.
 */
public interface MessageSerializer {

  /**
   * Encodes a message's fields ({@code as_bytes}); the map may hold the layer's {@code __asgi_channel__}.
   *
   * @param message the fields, in order
   * @return the encoded bytes
   * @throws IllegalArgumentException if a value cannot be encoded in this format
   */
  byte[] toBytes(Map<String, Object> message);

  /**
   * Decodes what {@link #toBytes} made ({@code from_bytes}) from {@code data[offset..offset+length)}.
   *
   * @param data the bytes
   * @param offset where the encoded message starts
   * @param length how many bytes it takes
   * @return the fields, with String keys
   * @throws IllegalArgumentException if the bytes are not an encoded map
   */
  Map<String, Object> fromBytes(byte[] data, int offset, int length);

  /**
   * channels_redis's {@code "msgpack"} format (the default): {@code msgpack.packb} / {@code unpackb},
   * str as str, byte[] as bin.
   *
   * @return the msgpack serializer
   */
  static MessageSerializer msgpack() {
    return BuiltinSerializers.MSGPACK;
  }

  /**
   * channels_redis's {@code "json"} format: {@code json.dumps(message).encode("utf-8")}, byte for byte
   * (Python's separators, {@code \\uXXXX} escapes for non-ASCII text, Python's float repr, {@code NaN}
   * and {@code Infinity}); decoding gives integers as Long (BigInteger beyond), other numbers as
   * Double. JSON cannot carry byte[] values: encoding one fails with {@link IllegalArgumentException},
   * as Python raises {@code TypeError: Object of type bytes is not JSON serializable}.
   *
   * @return the JSON serializer
   */
  static MessageSerializer json() {
    return BuiltinSerializers.JSON;
  }

  /**
   * The built-in serializer named by channels_redis's {@code serializer_format}.
   *
   * @param format {@code "msgpack"} or {@code "json"} (case-insensitive)
   * @return its serializer
   * @throws IllegalArgumentException for any other name (register custom ones with the builders'
   *     {@code serializer(MessageSerializer)})
   */
  static MessageSerializer forFormat(String format) {
    String f = format == null ? "" : format.trim().toLowerCase(Locale.ROOT);
    return switch (f) {
      case "msgpack" -> msgpack();
      case "json" -> json();
      default -> throw new IllegalArgumentException(
          "serializer_format must be 'msgpack' or 'json' (or pass a MessageSerializer): '" + format + "'");
    };
  }
}
