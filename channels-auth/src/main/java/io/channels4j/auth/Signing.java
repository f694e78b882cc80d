package io.channels4j.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Django's {@code django.core.signing.TimestampSigner} with SHA-256: {@code value:timestamp:signature},
 * the timestamp in base 62 seconds, the signature {@code base64url(HMAC-SHA256(SHA256(salt + "signer" +
 * secret), "value:timestamp"))} without padding. The first secret signs; every secret verifies (key
 * rotation, as Django's {@code SECRET_KEY_FALLBACKS}).
 */
final class Signing {

  private static final String B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final char SEP = ':';

  private final List<byte[]> keys;
  private final Clock clock;

  Signing(List<String> secrets, String salt, Clock clock) {
    Objects.requireNonNull(salt, "salt");
    this.keys = checkSecrets(secrets).stream().map(s -> sha256(salt + "signer" + s)).toList();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Checks a secret list: at least one secret, none blank; returns an immutable copy. */
  static List<String> checkSecrets(List<String> secrets) {
    Objects.requireNonNull(secrets, "secretKeys");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one secret key is needed to sign cookies");
    }
    for (String s : secrets) {
      if (s == null || s.isBlank()) {
        throw new IllegalArgumentException("a secret key must not be null or blank");
      }
    }
    return List.copyOf(secrets);
  }

  /** Signs {@code value} with the first secret; {@code value} may hold {@code :} (unsigning splits from the right). */
  String sign(String value) {
    String stamped = value + SEP + b62(clock.millis() / 1000);
    return stamped + SEP + signature(keys.get(0), stamped);
  }

  /**
   * Returns the value {@link #sign} signed, if a secret's signature matches and it is at most {@code
   * maxAge} old.
   *
   * @throws SignatureException saying which check failed (never quoting the value)
   */
  String unsign(String signed, Duration maxAge) {
    int last = signed.lastIndexOf(SEP);
    if (last < 0) {
      throw new SignatureException("no signature");
    }
    String stamped = signed.substring(0, last);
    byte[] given = signed.substring(last + 1).getBytes(StandardCharsets.US_ASCII);
    boolean ok = false;
    for (byte[] key : keys) {
      ok |= MessageDigest.isEqual(given, signature(key, stamped).getBytes(StandardCharsets.US_ASCII));
    }
    if (!ok) {
      throw new SignatureException("bad signature");
    }
    int ts = stamped.lastIndexOf(SEP);
    long seconds = ts < 0 ? -1 : unb62(stamped.substring(ts + 1));
    if (seconds < 0) {
      throw new SignatureException("no timestamp");
    }
    long age = clock.millis() / 1000 - seconds;
    if (age > maxAge.toSeconds()) {
      throw new SignatureException("expired (" + age + " s old, max age " + maxAge.toSeconds() + " s)");
    }
    return stamped.substring(0, ts);
  }

  private static String signature(byte[] key, String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] sig = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }

  static String b62(long n) {
    if (n == 0) {
      return "0";
    }
    StringBuilder sb = new StringBuilder();
    for (long v = n; v > 0; v /= 62) {
      sb.append(B62.charAt((int) (v % 62)));
    }
    return sb.reverse().toString();
  }

  /** Decodes base 62; -1 if {@code s} is empty, too long or holds another character. */
  static long unb62(String s) {
    if (s.isEmpty() || s.length() > 10) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      int d = B62.indexOf(s.charAt(i));
      if (d < 0) {
        return -1;
      }
      n = n * 62 + d;
    }
    return n;
  }

  /** A signed value that does not verify; the message says which check failed, never the value. */
  static final class SignatureException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SignatureException(String message) {
      super(message, null, false, false);
    }
  }
}
