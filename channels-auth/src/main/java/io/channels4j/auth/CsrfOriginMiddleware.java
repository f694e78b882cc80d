package io.channels4j.auth;

import io.channels4j.Application;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.Denials;
import io.channels4j.middleware.BaseMiddleware;
import io.channels4j.middleware.OriginValidator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses state-changing HTTP requests ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) that
 * come from another site, as the Origin and Referer checks of Django's CSRF middleware do: cross-site
 * request forgery protection without tokens, relying on what every current browser sends.
 *
 * <pre>{@code
 * Application pages = CsrfOriginMiddleware.of(router, List.of("chat.example.com"));
 * }</pre>
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>{@code GET}, {@code HEAD}, {@code OPTIONS}, {@code TRACE} and non-HTTP scopes pass;
 *   <li>an {@code Origin} header must name an allowed host (a {@code null} origin never does);
 *   <li>without {@code Origin}, a {@code Referer} header must name an allowed host;
 *   <li>with neither, an {@code https} request is refused (as Django refuses a missing Referer over HTTPS);
 *       a plain {@code http} one passes, since browsers always send {@code Origin} on cross-site POSTs and
 *       scripts such as {@code curl} are no forgery.
 * </ol>
 *
 * <p>Hosts use {@code ALLOWED_HOSTS} syntax as {@link OriginValidator} does ({@code example.com}, {@code
 * .example.com}, {@code [::1]}, {@code *}). A refusal is HTTP 403 with a text body naming the rule, and one
 * WARN line naming the rule, the client and the escaped header.
 */
public final class CsrfOriginMiddleware extends BaseMiddleware {

  private static final Logger LOG = LoggerFactory.getLogger(CsrfOriginMiddleware.class);
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final OriginValidator hosts;

  private CsrfOriginMiddleware(Application inner, List<String> allowedHosts) {
    super(inner);
    this.hosts = OriginValidator.of(inner, Objects.requireNonNull(allowedHosts, "allowedHosts"));
  }

  /**
   * Wraps {@code inner}, letting state-changing requests through only from {@code allowedHosts}.
   *
   * @param inner the application to wrap
   * @param allowedHosts the allowed host patterns, as Django's ALLOWED_HOSTS
   * @return the csrf origin middleware
   * @throws IllegalArgumentException if a host pattern is malformed
   */
  public static CsrfOriginMiddleware of(Application inner, List<String> allowedHosts) {
    return new CsrfOriginMiddleware(inner, allowedHosts);
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    if (!Scope.HTTP.equals(scope.type()) || SAFE_METHODS.contains(scope.method())) {
      return inner().handle(scope, receive, send);
    }
    String refusal = refusal(scope);
    if (refusal == null) {
      return inner().handle(scope, receive, send);
    }
    LOG.warn("Refused {} {} from {}: {} (cross-site request check, allowed hosts {})", scope.method(),
        Denials.quote(scope.path()), Clients.text(scope), refusal, hosts.allowedOrigins());
    return Denials.httpResponse(send, 403, "Forbidden: " + refusal + "\n");
  }

  /** Why the request is refused, or null if it may go on. */
  private String refusal(Scope scope) {
    String origin = scope.header("origin").orElse(null);
    if (origin != null) {
      return hosts.isAllowed(origin) ? null : "Origin " + Denials.quote(origin) + " is not an allowed host";
    }
    String referer = scope.header("referer").orElse(null);
    if (referer != null) {
      // Only the referer's scheme and host are named: its path and query may hold tokens.
      return hosts.isAllowed(referer) ? null : "Referer " + Denials.quote(originOf(referer)) + " is not an allowed host";
    }
    return scope.scheme().equals("https") ? "an HTTPS request without Origin or Referer" : null;
  }

  /** {@code scheme://host[:port]} of a URL, without path, query or fragment. */
  static String originOf(String url) {
    int authority = url.indexOf("://");
    int from = authority < 0 ? 0 : authority + 3;
    int end = url.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = url.indexOf(c, from);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return url.substring(0, end);
  }

  @Override
  public String toString() {
    return "CsrfOriginMiddleware" + hosts.allowedOrigins() + "(" + inner() + ")";
  }
}
