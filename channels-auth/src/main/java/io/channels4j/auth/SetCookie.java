package io.channels4j.auth;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@code Set-Cookie} response header, built with safe defaults: {@code Path=/}, {@code HttpOnly},
 * {@code SameSite=Lax}, no {@code Secure} (set it for TLS), a session cookie (no {@code Max-Age}).
 *
 * <pre>{@code
 * SetCookie c = SetCookie.of("theme", "dark").withMaxAge(Duration.ofDays(30)).withSecure(true);
 * Message start = CookieMiddleware.setCookie(start, c);
 * }</pre>
 *
 * @param name the cookie name (an RFC 6265 token)
 * @param value the value (RFC 6265 cookie-octets: no space, {@code " , ; \\}, or control characters)
 * @param path the {@code Path} attribute
 * @param maxAge the {@code Max-Age} attribute; null for a cookie that ends with the browser session
 * @param httpOnly whether scripts are kept from reading it
 * @param secure whether it is sent over TLS only
 * @param sameSite {@code Lax}, {@code Strict} or {@code None} ({@code None} needs {@code secure})
 */
public record SetCookie(
    String name, String value, String path, Duration maxAge, boolean httpOnly, boolean secure, String sameSite) {

  /**
   * Checks every part, so a header can never be split or smuggled through a value.
   *
   * @param name the cookie name (an RFC 6265 token)
   * @param value the value (RFC 6265 cookie-octets)
   * @param path the {@code Path} attribute
   * @param maxAge the {@code Max-Age} attribute, or null
   * @param httpOnly whether scripts are kept from reading it
   * @param secure whether it is sent over TLS only
   * @param sameSite {@code Lax}, {@code Strict} or {@code None}
   */
  public SetCookie {
    if (name == null || name.isEmpty() || !name.chars().allMatch(SetCookie::isTokenChar)) {
      throw new IllegalArgumentException("cookie name must be a non-empty token (letters, digits, !#$%&'*+-.^_`|~)");
    }
    Objects.requireNonNull(value, "value");
    if (!value.chars().allMatch(SetCookie::isCookieOctet)) {
      throw new IllegalArgumentException("cookie '" + name + "' value holds a character cookies cannot carry");
    }
    if (path == null || path.isEmpty() || !path.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ';')) {
      throw new IllegalArgumentException("cookie path must be non-empty printable ASCII without ';'");
    }
    if (maxAge != null && maxAge.isNegative()) {
      throw new IllegalArgumentException("cookie max age must not be negative: " + maxAge);
    }
    sameSite = switch (Objects.requireNonNull(sameSite, "sameSite").toLowerCase(Locale.ROOT)) {
      case "lax" -> "Lax";
      case "strict" -> "Strict";
      case "none" -> "None";
      default -> throw new IllegalArgumentException("SameSite must be Lax, Strict or None, got '" + sameSite + "'");
    };
  }

  /**
   * {@code name=value; Path=/; HttpOnly; SameSite=Lax}.
   *
   * @param name the name
   * @param value the value
   * @return {@code name=value; Path=/; HttpOnly; SameSite=Lax}
   */
  public static SetCookie of(String name, String value) {
    return new SetCookie(name, value, "/", null, true, false, "Lax");
  }

  /**
   * A cookie that deletes {@code name} (empty value, {@code Max-Age=0}) on {@code path}.
   *
   * @param name the name
   * @param path the path
   * @return a cookie that deletes {@code name} (empty value, {@code Max-Age=0}) on {@code path}
   */
  public static SetCookie deletion(String name, String path) {
    return new SetCookie(name, "", path, Duration.ZERO, true, false, "Lax");
  }

  /**
   * This cookie with {@code Path=path}.
   *
   * @param path the path
   * @return this cookie with {@code Path=path}
   */
  public SetCookie withPath(String path) {
    return new SetCookie(name, value, path, maxAge, httpOnly, secure, sameSite);
  }

  /**
   * This cookie with {@code Max-Age} (null: ends with the browser session).
   *
   * @param maxAge how long it lives
   * @return this cookie with {@code Max-Age} (null: ends with the browser session)
   */
  public SetCookie withMaxAge(Duration maxAge) {
    return new SetCookie(name, value, path, maxAge, httpOnly, secure, sameSite);
  }

  /**
   * This cookie with or without {@code HttpOnly}.
   *
   * @param httpOnly the HTTP only
   * @return this cookie with or without {@code HttpOnly}
   */
  public SetCookie withHttpOnly(boolean httpOnly) {
    return new SetCookie(name, value, path, maxAge, httpOnly, secure, sameSite);
  }

  /**
   * This cookie with or without {@code Secure}.
   *
   * @param secure whether it is sent over HTTPS only
   * @return this cookie with or without {@code Secure}
   */
  public SetCookie withSecure(boolean secure) {
    return new SetCookie(name, value, path, maxAge, httpOnly, secure, sameSite);
  }

  /**
   * This cookie with {@code SameSite=sameSite}.
   *
   * @param sameSite the SameSite attribute
   * @return this cookie with {@code SameSite=sameSite}
   */
  public SetCookie withSameSite(String sameSite) {
    return new SetCookie(name, value, path, maxAge, httpOnly, secure, sameSite);
  }

  /** {@return the header value, e.g. {@code sessionid=abc; Max-Age=1209600; Path=/; HttpOnly; SameSite=Lax}} */
  public String headerValue() {
    StringBuilder sb = new StringBuilder(name).append('=').append(value);
    if (maxAge != null) {
      sb.append("; Max-Age=").append(maxAge.toSeconds());
    }
    sb.append("; Path=").append(path);
    if (secure) {
      sb.append("; Secure");
    }
    if (httpOnly) {
      sb.append("; HttpOnly");
    }
    return sb.append("; SameSite=").append(sameSite).toString();
  }

  /** Never the value: it may be a credential. */
  @Override
  public String toString() {
    return "SetCookie[" + name + ", " + value.length() + " chars, Path=" + path + "]";
  }

  private static boolean isTokenChar(int c) {
    return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
  }

  private static boolean isCookieOctet(int c) {
    return c == 0x21 || c >= 0x23 && c <= 0x2b || c >= 0x2d && c <= 0x3a || c >= 0x3c && c <= 0x5b
        || c >= 0x5d && c <= 0x7e;
  }
}
