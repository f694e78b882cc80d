package io.channels4j.redis;

import io.channels4j.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The stored form of a message, as channels_redis's {@code serializers.py} writes it: 12 random bytes
 * (so equal messages stay distinct sorted-set members), then msgpack of the message map, or a Fernet
 * token of that msgpack when encryption keys are set. Direct sends to a process-local channel add
 * {@code __asgi_channel__} (the full channel name), group sends a list of the member channels behind
 * one process key.
 */
final class MemberCodec {

  /** The key naming the target channel(s) inside a stored message. */
  static final String ASGI_CHANNEL = "__asgi_channel__";
  static final int RANDOM_PREFIX_LENGTH = 12;

  /** A decoded member: the message and its {@code __asgi_channel__} (null, a String or a List). */
  record Decoded(Message message, Object channels) {}

  private final Fernet fernet;
  private final long expirySeconds;
  private final Scores scores;

  /** @param fernet the cipher, or null for plain msgpack */
  MemberCodec(Fernet fernet, long expirySeconds, Scores scores) {
    this.fernet = fernet;
    this.expirySeconds = expirySeconds;
    this.scores = scores;
  }

  boolean encrypted() {
    return fernet != null;
  }

  /** A message for a normal channel (no {@code __asgi_channel__}). */
  byte[] encode(Message message, double score) {
    return encode(message.asMap(), null, null, score);
  }

  /** A message for the process-local {@code channel}. */
  byte[] encodeFor(String channel, Message message, double score) {
    return encode(message.asMap(), ASGI_CHANNEL, channel, score);
  }

  /** A group message for {@code channels}, all behind one process key. */
  byte[] encodeFor(List<String> channels, Message message, double score) {
    return encode(message.asMap(), ASGI_CHANNEL, channels, score);
  }

  private byte[] encode(Map<String, Object> fields, String extraKey, Object extraValue, double score) {
    byte[] prefix = randomPrefix();
    if (fernet == null) {
      return MsgPack.encode(prefix, fields, extraKey, extraValue);
    }
    byte[] token = fernet.encrypt(MsgPack.encode(fields, extraKey, extraValue), (long) Math.floor(score));
    byte[] out = new byte[RANDOM_PREFIX_LENGTH + token.length];
    System.arraycopy(prefix, 0, out, 0, RANDOM_PREFIX_LENGTH);
    System.arraycopy(token, 0, out, RANDOM_PREFIX_LENGTH, token.length);
    return out;
  }

  private static byte[] randomPrefix() {
    byte[] out = new byte[RANDOM_PREFIX_LENGTH];
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < RANDOM_PREFIX_LENGTH; i += 4) {
      int v = r.nextInt();
      out[i] = (byte) v;
      out[i + 1] = (byte) (v >>> 8);
      out[i + 2] = (byte) (v >>> 16);
      out[i + 3] = (byte) (v >>> 24);
    }
    return out;
  }

  /**
   * Decodes a stored member (its Fernet token TTL is {@code expiry + 10}, as channels_redis checks it).
   *
   * @throws IllegalArgumentException if it is too short, not a msgpack map, or its token is invalid
   */
  @SuppressWarnings("unchecked")
  Decoded decode(byte[] member) {
    if (member.length < RANDOM_PREFIX_LENGTH) {
      throw new IllegalArgumentException("a stored message must be at least " + RANDOM_PREFIX_LENGTH + " bytes, got "
          + member.length);
    }
    byte[] body = member;
    int off = RANDOM_PREFIX_LENGTH;
    int len = member.length - RANDOM_PREFIX_LENGTH;
    if (fernet != null) {
      body = fernet.decrypt(member, off, len, expirySeconds + 10, scores.nowSeconds());
      off = 0;
      len = body.length;
    }
    if (!(MsgPack.decode(body, off, len) instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("a stored message must be a msgpack map");
    }
    Object channels = map.remove(ASGI_CHANNEL);
    return new Decoded(Message.fromMap((Map<String, Object>) map), channels);
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
