package io.channels4j.undertow;

import io.channels4j.internal.LogText;
import io.undertow.server.HttpServerExchange;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per HTTP request and per WebSocket connect/disconnect, on logger {@code
 * io.channels4j.undertow.access}. Client text (method, path, query) is written still percent-encoded
 * where the client sent it so, and always through {@link LogText#escape}, so it cannot forge a line.
 */
final class AccessLog {

  static final Logger LOG = LoggerFactory.getLogger("io.channels4j.undertow.access");

  /**
   * Where lines go instead of {@link #LOG} when set: {@link Main}'s {@code --access-log} (a file or stdout).
   * One per process, as the command line has one; null (the default) logs through SLF4J.
   */
  static volatile Consumer<String> target;

  private AccessLog() {}

  static void http(HttpServerExchange exchange, int status, long bytes, long startNanos) {
    if (enabled()) {
      String query = exchange.getQueryString();
      write(client(exchange.getSourceAddress()) + " \"" + LogText.escape(exchange.getRequestMethod().toString()) + " "
          + LogText.escape(exchange.getRequestURI()) + (query.isEmpty() ? "" : "?" + LogText.escape(query)) + "\" "
          + status + " " + bytes + " " + millis(startNanos) + "ms");
    }
  }

  static void wsConnect(InetSocketAddress client, String path) {
    if (enabled()) {
      write(client(client) + " WSCONNECT " + LogText.escape(path));
    }
  }

  static void wsReject(InetSocketAddress client, String path, int status, long startNanos) {
    if (enabled()) {
      write(client(client) + " WSREJECT " + LogText.escape(path) + " " + status + " " + millis(startNanos) + "ms");
    }
  }

  static void wsDisconnect(InetSocketAddress client, String path, int code, long startNanos) {
    if (enabled()) {
      write(client(client) + " WSDISCONNECT " + LogText.escape(path) + " " + code + " " + millis(startNanos) + "ms");
    }
  }

  private static boolean enabled() {
    return target != null || LOG.isInfoEnabled();
  }

  private static void write(String line) {
    Consumer<String> t = target;
    if (t != null) {
      t.accept(line);
    } else {
      LOG.info("{}", line);
    }
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static String client(InetSocketAddress a) {
    return a == null ? "-" : a.getHostString() + ":" + a.getPort();
  }
}
