package io.channels4j.redis;

import io.channels4j.Message;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * The stored (or published) form of a message, as channels_redis's {@code serializers.py} writes it:
 * the serializer's bytes ({@code as_bytes}: msgpack or JSON), then a Fernet token of them when
 * encryption keys are set, then {@code randomPrefixLength} random bytes in front (12 in the core layer,
 * so equal messages stay distinct sorted-set members; none in pub/sub). Direct sends to a
 * process-local channel add {@code __asgi_channel__} (the full channel name), group sends a list of the
 * member channels behind one process key.
 */
final class MemberCodec {

  /** The key naming the target channel(s) inside a stored message. */
  static final String ASGI_CHANNEL = "__asgi_channel__";

  /** A decoded member: the message and its {@code __asgi_channel__} (null, a String or a List). */
  record Decoded(Message message, Object channels) {}

  private final MessageSerializer serializer;
  private final Fernet fernet;
  private final int prefixLength;
  private final long ttlSeconds;
  private final LongSupplier nowSeconds;

  /**
   * @param fernet the cipher, or null for none
   * @param ttlSeconds the token age accepted on decode (channels_redis: expiry + 10), or -1 for any
   * @param nowSeconds the clock for token stamps and ages
   */
  MemberCodec(MessageSerializer serializer, Fernet fernet, int prefixLength, long ttlSeconds, LongSupplier nowSeconds) {
    this.serializer = serializer;
    this.fernet = fernet;
    this.prefixLength = prefixLength;
    this.ttlSeconds = ttlSeconds;
    this.nowSeconds = nowSeconds;
  }

  /** True if a member is the prefix + a plain msgpack map (so a Lua script may append to it). */
  boolean plainMsgPack() {
    return fernet == null && serializer == BuiltinSerializers.MSGPACK;
  }

  /** A message for a normal channel, or a pub/sub message (no {@code __asgi_channel__}). */
  byte[] encode(Message message) {
    return encode(message.asMap(), null, null);
  }

  /** A message for the process-local {@code channel}. */
  byte[] encodeFor(String channel, Message message) {
    return encode(message.asMap(), ASGI_CHANNEL, channel);
  }

  /** A group message for {@code channels}, all behind one process key. */
  byte[] encodeFor(List<String> channels, Message message) {
    return encode(message.asMap(), ASGI_CHANNEL, channels);
  }

  private byte[] encode(Map<String, Object> fields, String extraKey, Object extraValue) {
    if (plainMsgPack()) {
      return MsgPack.encode(randomPrefix(), fields, extraKey, extraValue); // one copy, the hot path
    }
    byte[] body;
    if (serializer == BuiltinSerializers.MSGPACK) {
      body = MsgPack.encode(fields, extraKey, extraValue);
    } else {
      Map<String, Object> all = fields;
      if (extraKey != null) {
        all = new LinkedHashMap<>(fields);
        all.put(extraKey, extraValue);
      }
      body = serializer.toBytes(all);
    }
    if (fernet != null) {
      body = fernet.encrypt(body, nowSeconds.getAsLong());
    }
    if (prefixLength == 0) {
      return body;
    }
    byte[] out = new byte[prefixLength + body.length];
    System.arraycopy(randomPrefix(), 0, out, 0, prefixLength);
    System.arraycopy(body, 0, out, prefixLength, body.length);
    return out;
  }

  private byte[] randomPrefix() {
    byte[] out = new byte[prefixLength];
    ThreadLocalRandom.current().nextBytes(out);
    return out;
  }

  /**
   * Decodes a stored member or published message: strips the prefix, checks and decrypts the token
   * (within the TTL), then decodes the serializer's map and takes out {@code __asgi_channel__}.
   *
   * @throws IllegalArgumentException if it is too short, not an encoded map, or its token is invalid
   */
  Decoded decode(byte[] member) {
    if (member.length < prefixLength) {
      throw new IllegalArgumentException("a stored message must be at least " + prefixLength
          + " bytes (the random prefix), got " + member.length);
    }
    byte[] body = member;
    int off = prefixLength;
    int len = member.length - prefixLength;
    if (fernet != null) {
      body = fernet.decrypt(member, off, len, ttlSeconds, nowSeconds.getAsLong());
      off = 0;
      len = body.length;
    }
    Map<String, Object> map = serializer.fromBytes(body, off, len);
    if (map == null) {
      throw new IllegalArgumentException("the " + serializer + " serializer decoded no map");
    }
    Object channels = map.remove(ASGI_CHANNEL);
    return new Decoded(Message.fromMap(map), channels);
  }

  /** A recorded group message, as kept in a history stream: msgpack, Fernet-encrypted if configured. */
  byte[] encodeHistory(Message message, long nowSeconds) {
    byte[] plain = MsgPack.encode(message.asMap(), null, null);
    return fernet == null ? plain : fernet.encrypt(plain, nowSeconds);
  }

  /** The inverse of {@link #encodeHistory}; history entries are trimmed by their own limits, not a token TTL. */
  @SuppressWarnings("unchecked")
  Message decodeHistory(byte[] stored, long nowSeconds) {
    byte[] body = fernet == null ? stored : fernet.decrypt(stored, 0, stored.length, -1, nowSeconds);
    if (!(MsgPack.decode(body) instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("a history entry must be a msgpack map");
    }
    return Message.fromMap((Map<String, Object>) map);
  }
}
