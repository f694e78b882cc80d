package io.channels4j.redis;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as channels_redis's {@code json} serializer writes it, {@code json.dumps(message).encode("utf-8")}
 * with Python's defaults, byte for byte: separators {@code ", "} and {@code ": "}, {@code ensure_ascii}
 * ({@code \\uXXXX} in lower-case hex for everything outside printable ASCII, surrogate pairs beyond the
 * BMP), floats as Python's {@code repr} ({@code 1e+16}, {@code 1e-05}, {@code 100.0}), {@code NaN} and
 * {@code Infinity}; and {@code json.loads} on the way back (on jackson-core's streaming parser).
 */
final class PythonJson {

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private PythonJson() {}

  /** {@code json.dumps(map).encode("utf-8")}. */
  static byte[] dumps(Map<String, ?> map) {
    StringBuilder sb = new StringBuilder(64 + map.size() * 24);
    write(sb, map);
    // ensure_ascii: the text is ASCII, so each char is one byte
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void write(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof Boolean b) {
      sb.append(b ? "true" : "false");
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      sb.append(floatRepr(((Number) v).doubleValue()));
    } else if (v instanceof Map<?, ?> m) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!(e.getKey() instanceof String k)) {
          throw new IllegalArgumentException("JSON map keys must be Strings, got " + e.getKey());
        }
        if (!first) {
          sb.append(", ");
        }
        first = false;
        string(sb, k);
        sb.append(": ");
        write(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List<?> l) {
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        write(sb, l.get(i));
      }
      sb.append(']');
    } else if (v instanceof byte[]) {
      throw new IllegalArgumentException("Object of type bytes is not JSON serializable: the json serializer_format "
          + "cannot carry byte[] values (channels_redis raises TypeError too); use msgpack or send text");
    } else {
      throw new IllegalArgumentException("cannot encode a " + v.getClass().getName() + " as JSON");
    }
  }

  /** Python's {@code encode_basestring_ascii}. */
  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            sb.append(c);
          } else {
            sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 15]).append(HEX[(c >> 4) & 15]).append(HEX[c & 15]);
          }
        }
      }
    }
    sb.append('"');
  }

  /**
   * Python's {@code float.__repr__} (as {@code json} writes floats): the shortest digits that read
   * back as {@code d}, in fixed notation when the decimal point falls within -4 &lt; point &lt;= 16,
   * else as {@code d.ddde±XX}.
   */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    if (d == 0) {
      return 1 / d < 0 ? "-0.0" : "0.0";
    }
    BigDecimal digits = shortest(Math.abs(d)).stripTrailingZeros();
    String ds = digits.unscaledValue().toString();
    int point = ds.length() - digits.scale(); // value = 0.<ds> * 10^point
    StringBuilder sb = new StringBuilder(24);
    if (d < 0) {
      sb.append('-');
    }
    if (point > -4 && point <= 16) {
      if (point <= 0) {
        sb.append("0.").append("0".repeat(-point)).append(ds);
      } else if (point >= ds.length()) {
        sb.append(ds).append("0".repeat(point - ds.length())).append(".0");
      } else {
        sb.append(ds, 0, point).append('.').append(ds, point, ds.length());
      }
    } else {
      sb.append(ds.charAt(0));
      if (ds.length() > 1) {
        sb.append('.').append(ds, 1, ds.length());
      }
      int exp = point - 1;
      sb.append('e').append(exp < 0 ? '-' : '+');
      if (Math.abs(exp) < 10) {
        sb.append('0');
      }
      sb.append(Math.abs(exp));
    }
    return sb.toString();
  }

  /** The shortest decimal that reads back as {@code d} (> 0), the nearest one among equally short. */
  private static BigDecimal shortest(double d) {
    BigDecimal exact = new BigDecimal(d);
    for (int p = 1; p < 17; p++) {
      BigDecimal nearest = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
      if (nearest.doubleValue() == d) {
        return nearest;
      }
      // next to a power of two the interval that reads back as d is lopsided: the other neighbour may fit
      BigDecimal other = exact.round(new MathContext(p, nearest.compareTo(exact) < 0 ? RoundingMode.CEILING : RoundingMode.FLOOR));
      if (other.doubleValue() == d) {
        return other;
      }
    }
    return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
  }

  /** {@code json.loads(data)}, which must be an object: integers as Long (BigInteger beyond), others as Double. */
  static Map<String, Object> loadsObject(byte[] data, int offset, int length) {
    try (JsonParser p = FACTORY.createParser(data, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("a stored JSON message must be an object");
      }
      Map<String, Object> m = object(p);
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("JSON: trailing data after the message");
      }
      return m;
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON: "
          + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()), e);
    }
  }

  private static Map<String, Object> object(JsonParser p) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      m.put(key, value(p));
    }
    return m;
  }

  private static Object value(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case START_OBJECT -> object(p);
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          l.add(value(p));
        }
        yield l;
      }
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getBigIntegerValue() : p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new IllegalArgumentException("JSON: unexpected " + p.currentToken());
    };
  }
}
