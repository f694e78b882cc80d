package io.channels4j.undertow;

import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One INFO line per HTTP request and per WebSocket connect/disconnect, on logger {@code io.channels4j.undertow.access}. */
final class AccessLog {

  static final Logger LOG = LoggerFactory.getLogger("io.channels4j.undertow.access");

  private AccessLog() {}

  static void http(HttpServerExchange exchange, int status, long bytes, long startNanos) {
    if (LOG.isInfoEnabled()) {
      String query = exchange.getQueryString();
      LOG.info("{} \"{} {}{}\" {} {} {}ms", client(exchange.getSourceAddress()), exchange.getRequestMethod(),
          exchange.getRequestURI(), query.isEmpty() ? "" : "?" + query, status, bytes, millis(startNanos));
    }
  }

  static void wsConnect(InetSocketAddress client, String path) {
    LOG.info("{} WSCONNECT {}", client(client), path);
  }

  static void wsReject(InetSocketAddress client, String path, int status, long startNanos) {
    LOG.info("{} WSREJECT {} {} {}ms", client(client), path, status, millis(startNanos));
  }

  static void wsDisconnect(InetSocketAddress client, String path, int code, long startNanos) {
    LOG.info("{} WSDISCONNECT {} {} {}ms", client(client), path, code, millis(startNanos));
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static String client(InetSocketAddress a) {
    return a == null ? "-" : a.getHostString() + ":" + a.getPort();
  }
}
