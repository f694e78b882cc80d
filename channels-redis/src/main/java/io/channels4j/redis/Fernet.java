package io.channels4j.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fernet tokens (AES-128-CBC + HMAC-SHA256, base64url with padding) over JDK crypto, with channels_redis's
 * key derivation and MultiFernet behaviour: each configured key becomes the Fernet key {@code
 * urlsafe_b64encode(sha256(utf8(key)))}; the first key encrypts, every key is tried to decrypt.
 * Thread-safe.
 */
final class Fernet {

  private static final int VERSION = 0x80;
  private static final long MAX_CLOCK_SKEW_SECONDS = 60;

  private final List<byte[][]> keys; // [signing key, encryption key]
  private final SecureRandom random;

  private Fernet(List<byte[][]> keys, SecureRandom random) {
    this.keys = keys;
    this.random = random;
  }

  /**
   * Builds the cipher from channels_redis {@code symmetric_encryption_keys}.
   *
   * @throws IllegalArgumentException if {@code secrets} is empty or holds an empty key
   */
  static Fernet fromSecrets(List<String> secrets) {
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("symmetric encryption needs at least one key");
    }
    List<byte[][]> keys = new ArrayList<>();
    for (String s : secrets) {
      if (s == null || s.isEmpty()) {
        throw new IllegalArgumentException("symmetric encryption keys must not be empty: " + secrets.size() + " keys given");
      }
      keys.add(split(sha256(s.getBytes(StandardCharsets.UTF_8))));
    }
    return new Fernet(keys, new SecureRandom());
  }

  /** Builds the cipher from raw 32-byte Fernet keys (the base64url-decoded form); for tests. */
  static Fernet fromRawKeys(List<byte[]> rawKeys, SecureRandom random) {
    List<byte[][]> keys = new ArrayList<>();
    for (byte[] k : rawKeys) {
      keys.add(split(k));
    }
    return new Fernet(keys, random);
  }

  /** The Fernet key string channels_redis derives from {@code secret}, e.g. for logs and tests. */
  static String derivedKey(String secret) {
    return Base64.getUrlEncoder().encodeToString(sha256(secret.getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[][] split(byte[] key32) {
    if (key32.length != 32) {
      throw new IllegalArgumentException("a Fernet key is 32 bytes, got " + key32.length);
    }
    return new byte[][] {Arrays.copyOfRange(key32, 0, 16), Arrays.copyOfRange(key32, 16, 32)};
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** Encrypts {@code plain} with the first key, stamping {@code nowSeconds}; returns the ASCII token. */
  byte[] encrypt(byte[] plain, long nowSeconds) {
    byte[] iv = new byte[16];
    random.nextBytes(iv);
    return encrypt(plain, nowSeconds, iv);
  }

  byte[] encrypt(byte[] plain, long nowSeconds, byte[] iv) {
    byte[][] key = keys.get(0);
    try {
      Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key[1], "AES"), new IvParameterSpec(iv));
      byte[] ct = aes.doFinal(plain);
      ByteBuffer body = ByteBuffer.allocate(1 + 8 + 16 + ct.length + 32);
      body.put((byte) VERSION).putLong(nowSeconds).put(iv).put(ct);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key[0], "HmacSHA256"));
      mac.update(body.array(), 0, body.position());
      body.put(mac.doFinal());
      return Base64.getUrlEncoder().encode(body.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Fernet encryption failed", e);
    }
  }

  /**
   * Decrypts the token in {@code data[offset..]}, trying every key in order.
   *
   * @param ttlSeconds maximum token age, or a negative number for none
   * @throws InvalidTokenException if no key verifies the token, it is malformed or it is too old
   */
  byte[] decrypt(byte[] data, int offset, int length, long ttlSeconds, long nowSeconds) {
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(ByteBuffer.wrap(data, offset, length)).array();
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("Fernet token is not base64url: " + e.getMessage());
    }
    if (raw.length < 1 + 8 + 16 + 16 + 32 || (raw[0] & 0xff) != VERSION || (raw.length - 57) % 16 != 0) {
      throw new InvalidTokenException("malformed Fernet token (" + raw.length + " bytes)");
    }
    long ts = ByteBuffer.wrap(raw, 1, 8).getLong();
    if (ttlSeconds >= 0 && ts + ttlSeconds < nowSeconds) {
      throw new InvalidTokenException("Fernet token expired: made at " + ts + ", ttl " + ttlSeconds + " s, now " + nowSeconds);
    }
    if (ts > nowSeconds + MAX_CLOCK_SKEW_SECONDS) {
      throw new InvalidTokenException("Fernet token from the future: made at " + ts + ", now " + nowSeconds);
    }
    int macAt = raw.length - 32;
    for (byte[][] key : keys) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key[0], "HmacSHA256"));
        mac.update(raw, 0, macAt);
        byte[] expected = mac.doFinal();
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, macAt, raw.length))) {
          continue;
        }
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key[1], "AES"), new IvParameterSpec(raw, 9, 16));
        return aes.doFinal(raw, 25, macAt - 25);
      } catch (GeneralSecurityException e) {
        throw new InvalidTokenException("Fernet token failed to decrypt: " + e.getMessage());
      }
    }
    throw new InvalidTokenException("Fernet token signed by none of the " + keys.size() + " configured keys");
  }

  /** A token that is malformed, too old, or not signed by any configured key. */
  static final class InvalidTokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
      super(message);
    }
  }
}
