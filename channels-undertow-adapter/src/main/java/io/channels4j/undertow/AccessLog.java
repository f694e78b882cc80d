package io.channels4j.undertow;

import io.channels4j.internal.LogText;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per HTTP request and per WebSocket connect/disconnect, on logger {@code
 * io.channels4j.undertow.access}. Client text (method, path, query) is written still percent-encoded
 * where the client sent it so, and always through {@link LogText#escape}, so it cannot forge a line.
 */
final class AccessLog {

  static final Logger LOG = LoggerFactory.getLogger("io.channels4j.undertow.access");

  private AccessLog() {}

  static void http(HttpServerExchange exchange, int status, long bytes, long startNanos) {
    if (LOG.isInfoEnabled()) {
      String query = exchange.getQueryString();
      LOG.info("{} \"{} {}{}\" {} {} {}ms", client(exchange.getSourceAddress()),
          LogText.escape(exchange.getRequestMethod().toString()), LogText.escape(exchange.getRequestURI()),
          query.isEmpty() ? "" : "?" + LogText.escape(query), status, bytes, millis(startNanos));
    }
  }

  static void wsConnect(InetSocketAddress client, String path) {
    LOG.info("{} WSCONNECT {}", client(client), LogText.escape(path));
  }

  static void wsReject(InetSocketAddress client, String path, int status, long startNanos) {
    LOG.info("{} WSREJECT {} {} {}ms", client(client), LogText.escape(path), status, millis(startNanos));
  }

  static void wsDisconnect(InetSocketAddress client, String path, int code, long startNanos) {
    LOG.info("{} WSDISCONNECT {} {} {}ms", client(client), LogText.escape(path), code, millis(startNanos));
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static String client(InetSocketAddress a) {
    return a == null ? "-" : a.getHostString() + ":" + a.getPort();
  }
}
