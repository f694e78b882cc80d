package io.channels4j.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.core.buffer.MessageBuffer;

/**
 * msgpack for exactly the value types of a {@link io.channels4j.Message}, on {@code msgpack-core},
 * byte-compatible with Python's {@code msgpack.packb(m, use_bin_type=True)} / {@code unpackb(b,
 * raw=False)} as channels_redis uses them: String as str (str8 included), byte[] as bin, integers in
 * the smallest encoding (unsigned families for non-negative values, as Python does), BigInteger up to
 * 2<sup>64</sup>-1 as uint64, Double and Float as float64, Boolean, null, List as array, Map with String
 * keys. Decoding also accepts float32 and bin map keys (as UTF-8 text); ext types are rejected.
 */
final class MsgPack {

  private static final MessagePack.PackerConfig PACKER = new MessagePack.PackerConfig()
      .withStr8FormatSupport(true).withBufferSize(512);
  /** One packer per thread, cleared per message: no 8 KiB buffer per encode. */
  private static final ThreadLocal<MessageBufferPacker> PACKERS = ThreadLocal.withInitial(PACKER::newBufferPacker);
  private static final int MAX_DEPTH = 512;

  private MsgPack() {}

  /**
   * Encodes {@code prefix} (raw bytes, may be empty) followed by {@code map}, with one extra entry {@code
   * extraKey -> extraValue} appended when {@code extraKey} is not null (used for {@code __asgi_channel__}
   * without copying the message).
   */
  static byte[] encode(byte[] prefix, Map<String, ?> map, String extraKey, Object extraValue) {
    MessageBufferPacker p = PACKERS.get();
    p.clear();
    try {
      p.writePayload(prefix);
      p.packMapHeader(map.size() + (extraKey == null ? 0 : 1));
      for (Map.Entry<String, ?> e : map.entrySet()) {
        p.packString(e.getKey());
        write(p, e.getValue());
      }
      if (extraKey != null) {
        p.packString(extraKey);
        write(p, extraValue);
      }
      return p.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory buffer does not fail
    } finally {
      p.clear();
    }
  }

  /** {@link #encode(byte[], Map, String, Object)} without a prefix. */
  static byte[] encode(Map<String, ?> map, String extraKey, Object extraValue) {
    return encode(new byte[0], map, extraKey, extraValue);
  }

  private static void write(MessagePacker p, Object v) throws IOException {
    if (v == null) {
      p.packNil();
    } else if (v instanceof String s) {
      p.packString(s);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      p.packLong(((Number) v).longValue());
    } else if (v instanceof Boolean b) {
      p.packBoolean(b);
    } else if (v instanceof Double || v instanceof Float) {
      p.packDouble(((Number) v).doubleValue());
    } else if (v instanceof byte[] b) {
      p.packBinaryHeader(b.length);
      p.writePayload(b);
    } else if (v instanceof BigInteger bi) {
      if (bi.bitLength() > 64 || (bi.signum() < 0 && bi.bitLength() > 63)) {
        throw new IllegalArgumentException("integer " + bi + " is outside msgpack's 64-bit range");
      }
      p.packBigInteger(bi);
    } else if (v instanceof List<?> l) {
      p.packArrayHeader(l.size());
      for (Object o : l) {
        write(p, o);
      }
    } else if (v instanceof Map<?, ?> m) {
      p.packMapHeader(m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException("map keys must be Strings, got " + e.getKey());
        }
        p.packString(k);
        write(p, e.getValue());
      }
    } else {
      throw new IllegalArgumentException("cannot encode a " + v.getClass().getName() + " as msgpack");
    }
  }

  /**
   * Decodes one value from {@code data[offset..offset+length)}; the value must fill the range exactly.
   *
   * @throws IllegalArgumentException for malformed input, ext types, non-string map keys or trailing
   *     bytes
   */
  static Object decode(byte[] data, int offset, int length) {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(data, offset, length)) {
      Object v = read(in, length, 0);
      if (in.hasNext()) {
        throw new IllegalArgumentException("msgpack: " + (length - in.getTotalReadBytes()) + " trailing bytes after the value");
      }
      return v;
    } catch (MessageInsufficientBufferException e) {
      throw new IllegalArgumentException("msgpack: a length exceeds the remaining input (truncated)", e);
    } catch (MessagePackException e) {
      throw new IllegalArgumentException("msgpack: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory buffer does not fail
    }
  }

  /** Decodes a whole array. */
  static Object decode(byte[] data) {
    return decode(data, 0, data.length);
  }

  private static Object read(MessageUnpacker in, int length, int depth) throws IOException {
    MessageFormat f = in.getNextFormat();
    return switch (f.getValueType()) {
      case NIL -> {
        in.unpackNil();
        yield null;
      }
      case BOOLEAN -> in.unpackBoolean();
      case INTEGER -> {
        if (f == MessageFormat.UINT64) {
          BigInteger bi = in.unpackBigInteger();
          yield bi.bitLength() <= 63 ? (Object) bi.longValue() : bi;
        }
        yield in.unpackLong();
      }
      case FLOAT -> in.unpackDouble();
      case STRING -> {
        int n = checked(in, in.unpackRawStringHeader(), length);
        MessageBuffer text = in.readPayloadAsReference(n); // no copy before the String's own
        yield text.hasArray() ? new String(text.array(), text.arrayOffset(), n, StandardCharsets.UTF_8)
            : new String(text.toByteArray(), StandardCharsets.UTF_8);
      }
      case BINARY -> payload(in, in.unpackBinaryHeader(), length);
      case ARRAY -> {
        int n = counted(in, in.unpackArrayHeader(), length, depth);
        List<Object> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          l.add(read(in, length, depth + 1));
        }
        yield l;
      }
      case MAP -> {
        int n = counted(in, in.unpackMapHeader(), length, depth);
        Map<String, Object> m = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
          Object k = read(in, length, depth + 1);
          if (k instanceof byte[] b) {
            k = new String(b, StandardCharsets.UTF_8);
          }
          if (!(k instanceof String key)) {
            throw new IllegalArgumentException("msgpack: map key must be a string, got " + k);
          }
          m.put(key, read(in, length, depth + 1));
        }
        yield m;
      }
      case EXTENSION -> throw new IllegalArgumentException(String.format(
          "msgpack: unsupported type byte 0x%02x at %d (ext types cannot be carried)",
          firstByte(f), in.getTotalReadBytes()));
    };
  }

  private static int firstByte(MessageFormat f) {
    return switch (f) {
      case FIXEXT1 -> 0xd4;
      case FIXEXT2 -> 0xd5;
      case FIXEXT4 -> 0xd6;
      case FIXEXT8 -> 0xd7;
      case FIXEXT16 -> 0xd8;
      case EXT8 -> 0xc7;
      case EXT16 -> 0xc8;
      default -> 0xc9;
    };
  }

  /** A declared container size, checked against the bytes left (each element takes at least one). */
  private static int counted(MessageUnpacker in, int n, int length, int depth) {
    if (depth >= MAX_DEPTH) {
      throw new IllegalArgumentException("msgpack: nesting deeper than " + MAX_DEPTH);
    }
    if (n < 0 || n > length - in.getTotalReadBytes()) {
      throw new IllegalArgumentException("msgpack: length " + Integer.toUnsignedString(n) + " exceeds the remaining "
          + (length - in.getTotalReadBytes()) + " bytes");
    }
    return n;
  }

  private static byte[] payload(MessageUnpacker in, int n, int length) throws IOException {
    return in.readPayload(checked(in, n, length));
  }

  /** A declared byte length, checked against the bytes left. */
  private static int checked(MessageUnpacker in, int n, int length) {
    if (n < 0 || n > length - in.getTotalReadBytes()) {
      throw new IllegalArgumentException("msgpack: length " + Integer.toUnsignedString(n) + " exceeds the remaining "
          + (length - in.getTotalReadBytes()) + " bytes");
    }
    return n;
  }
}
