package io.channels4j.auth;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.Scope;
import io.channels4j.middleware.BaseMiddleware;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the request's {@code Cookie} header into the scope under {@code "cookies"}: the Java form of
 * Channels' {@code CookieMiddleware}. Read them with {@link #cookies(Scope)}; add cookies to an HTTP
 * response with {@link #setCookie(Message, SetCookie)}.
 *
 * <pre>{@code
 * Application app = new CookieMiddleware(router);
 * String theme = CookieMiddleware.cookies(scope).getOrDefault("theme", "light");
 * }</pre>
 *
 * <p>Parsing follows Django's {@code parse_cookie}: pairs split on {@code ;}, names and values trimmed, a
 * quoted value unquoted, a later duplicate name wins; a malformed pair is skipped, never an error.
 */
public final class CookieMiddleware extends BaseMiddleware {

  /** The scope key the cookies are stored under, as in Channels. */
  public static final String SCOPE_KEY = "cookies";

  /**
   * Wraps {@code inner}.
   *
   * @param inner the application to wrap
   */
  public CookieMiddleware(Application inner) {
    super(inner);
  }

  @Override
  protected Scope enrichScope(Scope scope) {
    return scope.with(SCOPE_KEY, parse(scope));
  }

  /**
   * The request's cookies, name to value, unmodifiable: those {@link CookieMiddleware} stored, or parsed from
   * the scope's headers when it did not run.
   *
   * @param scope the connection scope
   * @return the request's cookies, name to value, unmodifiable: those {@link CookieMiddleware} stored, or parsed
   *     from the scope's headers when it did not run
   */
  @SuppressWarnings("unchecked")
  public static Map<String, String> cookies(Scope scope) {
    return scope.get(SCOPE_KEY).orElse(null) instanceof Map<?, ?> m ? (Map<String, String>) m : parse(scope);
  }

  /**
   * Returns {@code start} (an {@code http.response.start} or {@code websocket.accept} message) with a
   * {@code Set-Cookie} header for {@code cookie} added, as Channels' {@code CookieMiddleware.set_cookie}.
   *
   * @param start the start
   * @param cookie the cookie
   * @return {@code start} (an {@code http.response.start} or {@code websocket.accept} message) with a {@code
   *     Set-Cookie} header for {@code cookie} added, as Channels' {@code CookieMiddleware.set_cookie}
   */
  public static Message setCookie(Message start, SetCookie cookie) {
    List<Header> headers = new ArrayList<>(Header.fromMessageValue(start.get("headers")));
    headers.add(Header.of("set-cookie", cookie.headerValue()));
    return start.with("headers", Header.toMessageValue(headers));
  }

  static Map<String, String> parse(Scope scope) {
    Map<String, String> cookies = new LinkedHashMap<>();
    for (Header h : scope.headers()) {
      if (h.name().equals("cookie")) {
        parseInto(h.value(), cookies);
      }
    }
    return Collections.unmodifiableMap(cookies);
  }

  private static void parseInto(String header, Map<String, String> cookies) {
    for (String chunk : header.split(";")) {
      int eq = chunk.indexOf('=');
      String name = (eq < 0 ? "" : chunk.substring(0, eq)).trim();
      String value = (eq < 0 ? chunk : chunk.substring(eq + 1)).trim();
      if (!name.isEmpty() || !value.isEmpty()) {
        cookies.put(name, unquote(value));
      }
    }
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
    }
    return value;
  }

  @Override
  public String toString() {
    return "CookieMiddleware(" + inner() + ")";
  }
}
