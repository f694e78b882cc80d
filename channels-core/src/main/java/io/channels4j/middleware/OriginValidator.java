package io.channels4j.middleware;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.Denials;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a WebSocket handshake through only if its {@code Origin} header is allowed: the Java form of
 * Channels' {@code OriginValidator}, protection against cross-site WebSocket hijacking.
 *
 * <pre>{@code
 * Application ws = OriginValidator.of(router, List.of("https://example.com", ".example.org"));
 * }</pre>
 *
 * <p><b>Patterns</b> (matched case-insensitively, as in Channels):
 *
 * <ul>
 *   <li>{@code *} allows every origin, and also a handshake without an {@code Origin} header;
 *   <li>{@code scheme://host[:port]}: scheme, host and port must all match; a missing port means the
 *       scheme's default ({@code http}/{@code ws} 80, {@code https}/{@code wss} 443);
 *   <li>a bare {@code host}: matches that host on any scheme and port (IPv6 in brackets: {@code [::1]});
 *   <li>a host starting with {@code .}, with or without scheme, matches that domain and its subdomains
 *       ({@code .example.com} matches {@code example.com} and {@code chat.example.com}), as Django's {@code
 *       is_same_domain}.
 * </ul>
 *
 * <p>A handshake without an {@code Origin} header (or with one that has no host, like {@code null}) is
 * allowed only by {@code *}. A rejected handshake is closed before accept, so the server answers HTTP
 * 403, and one line naming the origin is logged.
 *
 * <p>Only for {@code websocket} scopes: any other scope type fails with {@link IllegalArgumentException}
 * (put the validator under {@code ProtocolTypeRouter.builder().websocket(...)}).
 *
 * <p>Unlike Channels, a bare pattern with a port ({@code localhost:8000}) is refused when built: Python
 * parses it as a URL with scheme {@code localhost}, which never matches; write {@code
 * http://localhost:8000} or {@code localhost}.
 */
public class OriginValidator extends BaseMiddleware {

  private static final Logger LOG = LoggerFactory.getLogger(OriginValidator.class);

  private final List<String> allowedOrigins;
  private final List<OriginPattern> patterns;
  private final boolean allowAll;

  /**
   * Wraps {@code inner}, allowing {@code allowedOrigins}.
   *
   * @param inner the application to wrap
   * @param allowedOrigins the allowed origins
   * @throws IllegalArgumentException if a pattern is malformed (the message quotes it)
   */
  protected OriginValidator(Application inner, List<String> allowedOrigins) {
    super(inner);
    this.allowedOrigins = List.copyOf(Objects.requireNonNull(allowedOrigins, "allowedOrigins"));
    List<OriginPattern> compiled = new ArrayList<>();
    boolean all = false;
    for (String pattern : this.allowedOrigins) {
      if (pattern.equals("*")) {
        all = true;
      } else {
        compiled.add(OriginPattern.parse(pattern));
      }
    }
    this.patterns = List.copyOf(compiled);
    this.allowAll = all;
  }

  /**
   * Wraps {@code application} so only WebSocket handshakes from {@code allowedOrigins} reach it.
   *
   * @param application the application
   * @param allowedOrigins the allowed origins
   * @return the origin validator
   * @throws IllegalArgumentException if a pattern is malformed (the message quotes it)
   */
  public static OriginValidator of(Application application, List<String> allowedOrigins) {
    return new OriginValidator(application, allowedOrigins);
  }

  /** {@return the allowed origin patterns, as given} */
  public List<String> allowedOrigins() {
    return allowedOrigins;
  }

  /**
   * Returns true if a handshake with this {@code Origin} header value (null if absent) is allowed.
   *
   * @param origin the Origin header value
   * @return true if a handshake with this {@code Origin} header value (null if absent) is allowed
   */
  public boolean isAllowed(String origin) {
    if (allowAll) {
      return true;
    }
    if (origin == null) {
      return false;
    }
    ParsedUrl parsed = ParsedUrl.parse(origin.toLowerCase(Locale.ROOT));
    if (parsed.host == null) {
      return false;
    }
    for (OriginPattern p : patterns) {
      if (p.matches(parsed)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    if (!Scope.WEBSOCKET.equals(scope.type())) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(
              "OriginValidator only handles 'websocket' scopes, got a " + Denials.quote(scope.type())
                  + " scope; put it under ProtocolTypeRouter.builder().websocket(...)"));
    }
    String origin = null;
    for (Header h : scope.headers()) {
      if (h.name().equals("origin")) {
        origin = h.value(); // the last one wins, as in Channels
      }
    }
    if (isAllowed(origin)) {
      return super.handle(scope, receive, send);
    }
    LOG.warn(
        "Rejected WebSocket handshake for path {} {}: not allowed by {}",
        Denials.quote(scope.path()),
        origin == null ? "without an Origin header" : "from origin " + Denials.quote(origin),
        allowedOrigins);
    return DENIER.handle(scope, receive, send);
  }

  @Override
  public String toString() {
    return "OriginValidator" + allowedOrigins + "(" + inner() + ")";
  }

  private static final WebsocketDenier DENIER = new WebsocketDenier();

  /**
   * An application that rejects every WebSocket handshake: Channels' {@code
   * channels.security.websocket.WebsocketDenier}, and what {@link OriginValidator} answers a refused origin
   * with. It waits for {@code websocket.connect} and closes before accepting (code 1000), so the server
   * answers HTTP 403; it ends quietly if the client leaves first. It joins no channel layer.
   *
   * <pre>{@code
   * URLRouter.of(Routes.path("ws/closed/", new OriginValidator.WebsocketDenier()), ...)
   * }</pre>
   */
  public static final class WebsocketDenier implements Application {

    /** Creates a denier; it is stateless, so one can serve every connection. */
    public WebsocketDenier() {}

    /**
     * Rejects this connection's handshake.
     *
     * @param scope the connection scope (any type; only WebSocket handshakes are meaningful)
     * @param receive pulls the {@code websocket.connect}
     * @param send takes the {@code websocket.close}
     * @return a stage that completes once the handshake is rejected (or the client left)
     */
    @Override
    public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
      return Denials.denyWebsocket(receive, send);
    }

    @Override
    public String toString() {
      return "WebsocketDenier";
    }
  }

  /** Django's {@code is_same_domain}: exact, or a leading-dot pattern matching the domain and subdomains. */
  static boolean isSameDomain(String host, String pattern) {
    if (pattern.isEmpty()) {
      return false;
    }
    return pattern.charAt(0) == '.' && (host.endsWith(pattern) || host.equals(pattern.substring(1)))
        || pattern.equals(host);
  }

  /**
   * One compiled pattern other than {@code *}.
   *
   * @param scheme null for a bare host
   * @param port the effective port of a scheme pattern
   */
  private record OriginPattern(String scheme, String host, Integer port) {

    static OriginPattern parse(String pattern) {
      Objects.requireNonNull(pattern, "allowed origin pattern");
      String p = pattern.trim().toLowerCase(Locale.ROOT);
      if (p.contains("://")) {
        ParsedUrl u = ParsedUrl.parse(p);
        if (u.scheme == null || u.host == null || !u.portValid || !u.rest.isEmpty() && !u.rest.equals("/")) {
          throw malformed(pattern);
        }
        return new OriginPattern(u.scheme, u.host, u.effectivePort());
      }
      String host = p;
      if (host.startsWith("[")) {
        if (!host.endsWith("]") || host.length() < 3) {
          throw malformed(pattern);
        }
        host = host.substring(1, host.length() - 1);
      } else if (host.isEmpty() || host.contains(":") || host.contains("/")) {
        throw malformed(pattern);
      }
      return new OriginPattern(null, host, null);
    }

    boolean matches(ParsedUrl origin) {
      if (scheme == null) {
        return isSameDomain(origin.host, host);
      }
      return scheme.equals(origin.scheme)
          && origin.portValid
          && Objects.equals(port, origin.effectivePort())
          && isSameDomain(origin.host, host);
    }

    private static IllegalArgumentException malformed(String pattern) {
      return new IllegalArgumentException(
          "allowed origin pattern " + Denials.quote(pattern) + " must be '*', a host ('example.com', "
              + "'.example.com', '[::1]') or scheme://host[:port] ('https://example.com:8443')");
    }
  }

  /** The parts of a URL that origin checks use, split as Python's {@code urlparse} does. */
  private static final class ParsedUrl {
    String scheme;
    String host;
    Integer port;
    boolean portValid = true;
    String rest = "";

    static ParsedUrl parse(String url) {
      ParsedUrl u = new ParsedUrl();
      String s = url;
      int colon = s.indexOf(':');
      if (colon > 0 && isScheme(s.substring(0, colon))) {
        u.scheme = s.substring(0, colon);
        s = s.substring(colon + 1);
      }
      if (!s.startsWith("//")) {
        return u;
      }
      s = s.substring(2);
      int end = s.length();
      for (char c : new char[] {'/', '?', '#'}) {
        int i = s.indexOf(c);
        if (i >= 0 && i < end) {
          end = i;
        }
      }
      String netloc = s.substring(0, end);
      u.rest = s.substring(end);
      netloc = netloc.substring(netloc.lastIndexOf('@') + 1);
      String portText = null;
      if (netloc.startsWith("[")) {
        int close = netloc.indexOf(']');
        if (close < 0) {
          u.portValid = false;
          return u;
        }
        u.host = netloc.substring(1, close);
        String after = netloc.substring(close + 1);
        if (after.startsWith(":")) {
          portText = after.substring(1);
        } else if (!after.isEmpty()) {
          u.portValid = false;
        }
      } else {
        int c = netloc.indexOf(':');
        u.host = c < 0 ? netloc : netloc.substring(0, c);
        portText = c < 0 ? null : netloc.substring(c + 1);
      }
      if (u.host.isEmpty()) {
        u.host = null;
      }
      if (portText != null && !portText.isEmpty()) {
        if (portText.length() > 5 || !portText.chars().allMatch(ch -> ch >= '0' && ch <= '9')
            || Integer.parseInt(portText) > 65535) {
          u.portValid = false;
        } else {
          u.port = Integer.parseInt(portText);
        }
      }
      return u;
    }

    Integer effectivePort() {
      if (port != null) {
        return port;
      }
      if ("http".equals(scheme) || "ws".equals(scheme)) {
        return 80;
      }
      if ("https".equals(scheme) || "wss".equals(scheme)) {
        return 443;
      }
      return null;
    }

    private static boolean isScheme(String s) {
      if (!Character.isLetter(s.charAt(0)) || s.charAt(0) > 'z') {
        return false;
      }
      return s.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.'));
    }
  }
}
