package io.channels4j.undertow;

import io.channels4j.internal.LogText;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Checks a request's head before any application sees it: message framing (request smuggling
 * defences) and, when configured, the host against {@link AllowedHosts}. A failed check is a {@link
 * Refusal}: always 400, and the connection is closed after the answer.
 */
final class RequestChecks {

  /** Why a request is refused; {@code reason} is for the log and already escaped. */
  record Refusal(int status, String text, String reason) {}

  private RequestChecks() {}

  /** The refusal for this request, or null if it may go on. */
  static Refusal check(Settings settings, HttpServerExchange exchange, boolean upgrade) {
    Refusal framing = framing(exchange);
    if (framing != null || upgrade || settings.allowedHosts == null) {
      return framing;
    }
    return host(settings, exchange);
  }

  /**
   * Only {@code Transfer-Encoding: chunked} is understood, and never together with {@code
   * Content-Length}; repeated {@code Content-Length} values must agree. Undertow treats any coding other
   * than {@code identity} as chunked, which a proxy in front may read differently.
   */
  private static Refusal framing(HttpServerExchange exchange) {
    HeaderValues te = exchange.getRequestHeaders().get(Headers.TRANSFER_ENCODING);
    HeaderValues cl = exchange.getRequestHeaders().get(Headers.CONTENT_LENGTH);
    if (te != null) {
      String codings = String.join(",", te).toLowerCase(Locale.ROOT).replace(" ", "").replace("\t", "");
      if (!codings.equals("chunked")) {
        return bad("Transfer-Encoding '" + LogText.escape(String.join(", ", te)) + "' is not 'chunked' alone");
      }
      if (cl != null) {
        return bad("both Transfer-Encoding and Content-Length");
      }
    }
    if (cl != null && cl.size() > 1 && cl.stream().map(String::trim).distinct().count() > 1) {
      return bad("conflicting Content-Length values '" + LogText.escape(String.join(", ", cl)) + "'");
    }
    return null;
  }

  /** Django's host validation; behind a trusted proxy its {@code X-Forwarded-Host} is the host checked. */
  private static Refusal host(Settings settings, HttpServerExchange exchange) {
    HeaderValues hosts = exchange.getRequestHeaders().get(Headers.HOST);
    if (hosts != null && hosts.size() > 1) {
      return bad("more than one Host header");
    }
    String host = hosts == null ? null : hosts.getFirst();
    if (exchange.getSourceAddress() != null
        && settings.trustedProxies.trusts(exchange.getSourceAddress().getAddress())) {
      String forwarded = Scopes.first(exchange.getRequestHeaders().getFirst(Headers.X_FORWARDED_HOST));
      if (forwarded != null) {
        host = forwarded;
      }
    }
    if (settings.allowedHosts.allows(host)) {
      return null;
    }
    return bad("host '" + LogText.escape(host) + "' is not in allowedHosts");
  }

  private static Refusal bad(String reason) {
    return new Refusal(400, "Bad Request", reason);
  }

  /** Answers {@code status} with a short text body, and logs the access line. */
  static void reject(HttpServerExchange exchange, int status, String text) {
    exchange.setStatusCode(status);
    exchange.setPersistent(status < 500 && exchange.isPersistent());
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
    exchange.getResponseSender().send(text, StandardCharsets.UTF_8);
    AccessLog.http(exchange, status, text.length(), System.nanoTime());
  }
}
