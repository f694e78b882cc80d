package io.channels4j.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Sessions kept in the cookie itself, in the format of Django's {@code
 * django.contrib.sessions.backends.signed_cookies} (JSON serializer, SHA-256): a Django site and a
 * Channels4J app sharing a {@code SECRET_KEY} read each other's sessions, so a user logged in on the
 * Django site is recognised here.
 *
 * <p>The cookie is {@code django.core.signing.dumps(data, salt="django.contrib.sessions.backends.signed_cookies",
 * compress=True)}: base64url JSON (zlib-compressed and prefixed with {@code .} when that is shorter), a
 * base-62 timestamp, and an HMAC-SHA256 signature keyed by {@code SHA256(salt + "signer" + secret)}. The
 * first secret signs; every secret verifies, so keys rotate by putting the new one first. A cookie older
 * than the session max age, or signed by no listed secret, loads as no session.
 *
 * <pre>{@code
 * SessionStore store = new SignedCookieSessionStore(List.of(System.getenv("SECRET_KEY")));
 * }</pre>
 *
 * <p>The data is readable by the client (signed, not encrypted) and limited by cookie size (about 4 KB);
 * nothing is kept on the server, so a session cannot be revoked before it expires.
 */
public final class SignedCookieSessionStore implements SessionStore {

  /** Django's salt for this session backend. */
  static final String SALT = "django.contrib.sessions.backends.signed_cookies";
  private static final int MAX_INFLATED_BYTES = 1 << 20;

  private final Signing signing;

  /**
   * A store signing with the first of {@code secretKeys} and accepting all of them.
   *
   * @param secretKeys the signing keys, newest first
   * @throws IllegalArgumentException if the list is empty or holds a blank key
   */
  public SignedCookieSessionStore(List<String> secretKeys) {
    this(secretKeys, Clock.systemUTC());
  }

  SignedCookieSessionStore(List<String> secretKeys, Clock clock) {
    this.signing = new Signing(secretKeys, SALT, clock);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Fails with a package-private signature exception when the cookie is forged, tampered with, expired
   * or signed by an unknown key; {@link SessionMiddleware} logs it (without the value) and goes on with no
   * session.
   */
  @Override
  public CompletionStage<Optional<Map<String, Object>>> load(String key, Duration maxAge) {
    if (key == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    try {
      return CompletableFuture.completedFuture(Optional.of(decode(signing.unsign(key, maxAge))));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public CompletionStage<String> save(String key, Map<String, Object> data, Duration maxAge) {
    return CompletableFuture.completedFuture(signing.sign(encode(data)));
  }

  /** Nothing to delete: the data lives in the cookie; the middleware expires the cookie. */
  @Override
  public CompletionStage<Void> delete(String key) {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public boolean keysAreSigned() {
    return true;
  }

  /** Django's {@code sign_object} payload: base64url JSON, compressed and dot-prefixed when shorter. */
  static String encode(Map<String, Object> data) {
    byte[] json = SessionJson.write(data).getBytes(StandardCharsets.ISO_8859_1);
    Deflater deflater = new Deflater();
    deflater.setInput(json);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    while (!deflater.finished()) {
      out.write(buf, 0, deflater.deflate(buf));
    }
    deflater.end();
    byte[] compressed = out.toByteArray();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return compressed.length < json.length - 1 ? "." + b64.encodeToString(compressed) : b64.encodeToString(json);
  }

  static Map<String, Object> decode(String payload) {
    boolean compressed = payload.startsWith(".");
    byte[] bytes;
    try {
      bytes = Base64.getUrlDecoder().decode(compressed ? payload.substring(1) : payload);
    } catch (IllegalArgumentException e) {
      throw new Signing.SignatureException("signed payload is not base64");
    }
    if (compressed) {
      bytes = inflate(bytes);
    }
    return SessionJson.read(new String(bytes, StandardCharsets.ISO_8859_1));
  }

  private static byte[] inflate(byte[] bytes) {
    Inflater inflater = new Inflater();
    inflater.setInput(bytes);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(buf);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new Signing.SignatureException("compressed payload is truncated");
        }
        out.write(buf, 0, n);
        if (out.size() > MAX_INFLATED_BYTES) {
          throw new Signing.SignatureException("compressed payload inflates past 1 MiB");
        }
      }
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new Signing.SignatureException("compressed payload is not zlib");
    } finally {
      inflater.end();
    }
  }

  @Override
  public String toString() {
    return "SignedCookieSessionStore[django signed_cookies format]";
  }
}
