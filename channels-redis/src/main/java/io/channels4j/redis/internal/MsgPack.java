package io.channels4j.redis.internal;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compact msgpack encoder/decoder for exactly the value types of a {@link io.channels4j.Message},
 * byte-compatible with Python's {@code msgpack.packb(m, use_bin_type=True)} / {@code
 * unpackb(b, raw=False)} as channels_redis uses them: String as str, byte[] as bin, Long in the
 * smallest int encoding (unsigned families for non-negative values, as Python does), BigInteger up to
 * 2<sup>64</sup>-1 as uint64, Double as float64, Boolean, null, List as array, Map with String keys.
 * Decoding also accepts float32 and bin map keys (as UTF-8 text); ext types are rejected.
 */
public final class MsgPack {

  private static final BigInteger UINT64_OFFSET = BigInteger.ONE.shiftLeft(64);

  private MsgPack() {}

  /**
   * Encodes {@code map}, with one extra entry {@code extraKey -> extraValue} appended when {@code
   * extraKey} is not null (used for {@code __asgi_channel__} without copying the message).
   */
  public static byte[] encode(Map<String, ?> map, String extraKey, Object extraValue) {
    Out out = new Out(64);
    int n = map.size() + (extraKey == null ? 0 : 1);
    writeMapHeader(out, n);
    for (Map.Entry<String, ?> e : map.entrySet()) {
      writeString(out, e.getKey());
      write(out, e.getValue());
    }
    if (extraKey != null) {
      writeString(out, extraKey);
      write(out, extraValue);
    }
    return out.toByteArray();
  }

  /** Encodes any supported value. */
  public static byte[] encodeValue(Object value) {
    Out out = new Out(32);
    write(out, value);
    return out.toByteArray();
  }

  private static void write(Out out, Object v) {
    if (v == null) {
      out.write(0xc0);
    } else if (v instanceof String) {
      writeString(out, (String) v);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      writeLong(out, ((Number) v).longValue());
    } else if (v instanceof Boolean) {
      out.write((Boolean) v ? 0xc3 : 0xc2);
    } else if (v instanceof Double || v instanceof Float) {
      out.write(0xcb);
      out.writeLong(Double.doubleToRawLongBits(((Number) v).doubleValue()));
    } else if (v instanceof byte[]) {
      byte[] b = (byte[]) v;
      if (b.length < 0x100) {
        out.write(0xc4);
        out.write(b.length);
      } else if (b.length < 0x10000) {
        out.write(0xc5);
        out.writeShort(b.length);
      } else {
        out.write(0xc6);
        out.writeInt(b.length);
      }
      out.write(b, 0, b.length);
    } else if (v instanceof BigInteger) {
      BigInteger bi = (BigInteger) v;
      if (bi.bitLength() <= 63) {
        writeLong(out, bi.longValue());
      } else if (bi.signum() > 0 && bi.bitLength() <= 64) {
        out.write(0xcf);
        out.writeLong(bi.longValue());
      } else {
        throw new IllegalArgumentException("integer " + bi + " is outside msgpack's 64-bit range");
      }
    } else if (v instanceof List) {
      List<?> l = (List<?>) v;
      int n = l.size();
      if (n < 16) {
        out.write(0x90 | n);
      } else if (n < 0x10000) {
        out.write(0xdc);
        out.writeShort(n);
      } else {
        out.write(0xdd);
        out.writeInt(n);
      }
      for (Object o : l) {
        write(out, o);
      }
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      writeMapHeader(out, m.size());
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw new IllegalArgumentException("map keys must be Strings, got " + e.getKey());
        }
        writeString(out, (String) e.getKey());
        write(out, e.getValue());
      }
    } else {
      throw new IllegalArgumentException("cannot encode a " + v.getClass().getName() + " as msgpack");
    }
  }

  private static void writeMapHeader(Out out, int n) {
    if (n < 16) {
      out.write(0x80 | n);
    } else if (n < 0x10000) {
      out.write(0xde);
      out.writeShort(n);
    } else {
      out.write(0xdf);
      out.writeInt(n);
    }
  }

  private static void writeLong(Out out, long v) {
    if (v >= 0) {
      if (v < 0x80) {
        out.write((int) v);
      } else if (v < 0x100) {
        out.write(0xcc);
        out.write((int) v);
      } else if (v < 0x10000) {
        out.write(0xcd);
        out.writeShort((int) v);
      } else if (v < 0x100000000L) {
        out.write(0xce);
        out.writeInt((int) v);
      } else {
        out.write(0xcf);
        out.writeLong(v);
      }
    } else if (v >= -32) {
      out.write((int) v & 0xff);
    } else if (v >= Byte.MIN_VALUE) {
      out.write(0xd0);
      out.write((int) v & 0xff);
    } else if (v >= Short.MIN_VALUE) {
      out.write(0xd1);
      out.writeShort((int) v);
    } else if (v >= Integer.MIN_VALUE) {
      out.write(0xd2);
      out.writeInt((int) v);
    } else {
      out.write(0xd3);
      out.writeLong(v);
    }
  }

  private static void writeString(Out out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    int n = b.length;
    if (n < 32) {
      out.write(0xa0 | n);
    } else if (n < 0x100) {
      out.write(0xd9);
      out.write(n);
    } else if (n < 0x10000) {
      out.write(0xda);
      out.writeShort(n);
    } else {
      out.write(0xdb);
      out.writeInt(n);
    }
    out.write(b, 0, n);
  }

  /**
   * Decodes one value from {@code data[offset..offset+length)}; the value must fill the range exactly.
   *
   * @throws IllegalArgumentException for malformed input, ext types, non-string map keys or trailing
   *     bytes
   */
  public static Object decode(byte[] data, int offset, int length) {
    In in = new In(data, offset, offset + length);
    Object v = in.read();
    if (in.pos != in.end) {
      throw new IllegalArgumentException("msgpack: " + (in.end - in.pos) + " trailing bytes after the value");
    }
    return v;
  }

  /** Decodes a whole array. */
  public static Object decode(byte[] data) {
    return decode(data, 0, data.length);
  }

  /** A growable byte buffer (ByteArrayOutputStream without synchronization and exceptions). */
  private static final class Out {
    private byte[] buf;
    private int size;

    Out(int initial) {
      buf = new byte[initial];
    }

    private void ensure(int extra) {
      if (size + extra > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + extra));
      }
    }

    void write(int b) {
      ensure(1);
      buf[size++] = (byte) b;
    }

    void writeShort(int v) {
      ensure(2);
      buf[size++] = (byte) (v >>> 8);
      buf[size++] = (byte) v;
    }

    void writeInt(int v) {
      ensure(4);
      for (int s = 24; s >= 0; s -= 8) {
        buf[size++] = (byte) (v >>> s);
      }
    }

    void writeLong(long v) {
      ensure(8);
      for (int s = 56; s >= 0; s -= 8) {
        buf[size++] = (byte) (v >>> s);
      }
    }

    void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, size);
    }
  }

  private static final class In {
    private final byte[] d;
    private int pos;
    private final int end;
    private int depth;

    In(byte[] d, int pos, int end) {
      this.d = d;
      this.pos = pos;
      this.end = end;
    }

    private int u8() {
      if (pos >= end) {
        throw new IllegalArgumentException("msgpack: truncated input at byte " + pos);
      }
      return d[pos++] & 0xff;
    }

    private int u16() {
      return (u8() << 8) | u8();
    }

    private long u32() {
      return ((long) u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
    }

    private long s64() {
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | u8();
      }
      return v;
    }

    private int length(long n) {
      if (n > end - pos) {
        throw new IllegalArgumentException("msgpack: length " + n + " exceeds the remaining " + (end - pos) + " bytes");
      }
      return (int) n;
    }

    private byte[] bytes(int n) {
      length(n);
      byte[] b = java.util.Arrays.copyOfRange(d, pos, pos + n);
      pos += n;
      return b;
    }

    private String str(int n) {
      length(n);
      String s = new String(d, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    Object read() {
      int b = u8();
      if (b <= 0x7f) {
        return (long) b;
      }
      if (b >= 0xe0) {
        return (long) (byte) b;
      }
      if ((b & 0xe0) == 0xa0) {
        return str(b & 0x1f);
      }
      if ((b & 0xf0) == 0x90) {
        return array(b & 0x0f);
      }
      if ((b & 0xf0) == 0x80) {
        return map(b & 0x0f);
      }
      switch (b) {
        case 0xc0: return null;
        case 0xc2: return Boolean.FALSE;
        case 0xc3: return Boolean.TRUE;
        case 0xc4: return bytes(u8());
        case 0xc5: return bytes(u16());
        case 0xc6: return bytes(length(u32()));
        case 0xca: return (double) Float.intBitsToFloat((int) u32());
        case 0xcb: return Double.longBitsToDouble(s64());
        case 0xcc: return (long) u8();
        case 0xcd: return (long) u16();
        case 0xce: return u32();
        case 0xcf: {
          long v = s64();
          return v >= 0 ? (Object) v : BigInteger.valueOf(v).add(UINT64_OFFSET);
        }
        case 0xd0: return (long) (byte) u8();
        case 0xd1: return (long) (short) u16();
        case 0xd2: return (long) (int) u32();
        case 0xd3: return s64();
        case 0xd9: return str(u8());
        case 0xda: return str(u16());
        case 0xdb: return str(length(u32()));
        case 0xdc: return array(u16());
        case 0xdd: return array(length(u32()));
        case 0xde: return map(u16());
        case 0xdf: return map(length(u32()));
        default:
          throw new IllegalArgumentException(String.format(
              "msgpack: unsupported type byte 0x%02x at %d (ext types and reserved codes cannot be carried)", b, pos - 1));
      }
    }

    private List<Object> array(int n) {
      enter();
      List<Object> l = new ArrayList<>(Math.min(n, end - pos));
      for (int i = 0; i < n; i++) {
        l.add(read());
      }
      depth--;
      return l;
    }

    private Map<String, Object> map(int n) {
      enter();
      Map<String, Object> m = new LinkedHashMap<>(Math.min(n, end - pos) * 2);
      for (int i = 0; i < n; i++) {
        Object k = read();
        if (k instanceof byte[]) {
          k = new String((byte[]) k, StandardCharsets.UTF_8);
        }
        if (!(k instanceof String)) {
          throw new IllegalArgumentException("msgpack: map key must be a string, got " + k);
        }
        m.put((String) k, read());
      }
      depth--;
      return m;
    }

    private void enter() {
      if (++depth > 512) {
        throw new IllegalArgumentException("msgpack: nesting deeper than 512");
      }
    }
  }

}
