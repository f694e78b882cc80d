package io.channels4j.undertow;

import io.channels4j.internal.LogText;
import io.channels4j.Header;
import io.channels4j.Scope;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Builds ASGI scopes from Undertow exchanges, honouring proxy headers only from trusted proxies. */
final class Scopes {

  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|\\[?[0-9a-fA-F:]+]?");

  /** The ASGI extensions a WebSocket scope announces: the server can answer a handshake with any HTTP response. */
  private static final Map<String, Object> DENIAL_RESPONSE = Map.of("websocket.http.response", Map.of());

  /** ASGI's {@code asgi} key: the interface version and the HTTP spec version this server implements. */
  private static final Map<String, Object> ASGI_HTTP = Map.of("version", "3.0", "spec_version", "2.3");

  /** ASGI's {@code asgi} key for WebSocket: 2.4 (reasons on close and disconnect, headers on accept). */
  private static final Map<String, Object> ASGI_WEBSOCKET = Map.of("version", "3.0", "spec_version", "2.4");

  /**
   * Lower-case names of common request headers, and common values: a scope lives as long as its
   * connection, so it keeps one shared copy of these rather than its own.
   */
  private static final Map<HttpString, String> COMMON = new HashMap<>();
  private static final Map<String, String> COMMON_VALUES = new HashMap<>();

  static {
    for (String n : List.of("host", "user-agent", "accept", "accept-encoding", "accept-language", "cache-control",
        "pragma", "connection", "upgrade", "origin", "cookie", "authorization", "content-type", "content-length",
        "referer", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol",
        "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "x-real-ip",
        "sec-fetch-dest", "sec-fetch-mode", "sec-fetch-site", "dnt")) {
      COMMON.put(new HttpString(n), n);
    }
    for (String v : List.of("websocket", "Upgrade", "upgrade", "keep-alive", "Upgrade, keep-alive",
        "keep-alive, Upgrade", "13", "permessage-deflate; client_max_window_bits", "permessage-deflate",
        "no-cache", "gzip, deflate", "gzip, deflate, br", "gzip, deflate, br, zstd", "*/*",
        "same-origin", "cross-site")) {
      COMMON_VALUES.put(v, v);
    }
  }

  /** Common headers whose values differ per connection or are secret: never kept in {@link #RECENT}. */
  private static final Set<String> UNSHARED =
      Set.of("sec-websocket-key", "cookie", "authorization", "content-length", "x-forwarded-for", "x-real-ip");

  /**
   * Values of common headers seen lately (Host, Origin, User-Agent, ...: most connections send the same
   * ones), so connections share one copy; a fixed number of slots, each holding the last value hashed to it.
   */
  private static final String[] RECENT = new String[256];

  private static String recent(String v) {
    if (v.length() > 512) {
      return v;
    }
    int slot = v.hashCode() & (RECENT.length - 1);
    String last = RECENT[slot]; // racy on purpose: any String read here is a whole, immutable one
    if (v.equals(last)) {
      return last;
    }
    RECENT[slot] = v;
    return v;
  }

  /** The last server address seen: every connection to one listener has an equal one, so they share it. */
  private static volatile InetSocketAddress lastServer;

  private Scopes() {}

  private static InetSocketAddress shared(InetSocketAddress server) {
    InetSocketAddress last = lastServer;
    if (server == null || server.equals(last)) {
      return server == null ? null : last;
    }
    lastServer = server;
    return server;
  }

  static Scope http(Settings settings, HttpServerExchange exchange) {
    return common(settings, exchange, Scope.HTTP, false).set("asgi", ASGI_HTTP).build();
  }

  static Scope websocket(Settings settings, HttpServerExchange exchange, List<String> subprotocols) {
    return common(settings, exchange, Scope.WEBSOCKET, true)
        .subprotocols(subprotocols)
        .set("asgi", ASGI_WEBSOCKET)
        .set("extensions", DENIAL_RESPONSE)
        .build();
  }

  private static Scope.Builder common(Settings settings, HttpServerExchange exchange, String type, boolean ws) {
    String raw = rawPath(exchange.getRequestURI());
    List<Header> headers = new ArrayList<>();
    for (HeaderValues values : exchange.getRequestHeaders()) {
      String name = COMMON.get(values.getHeaderName());
      boolean shared = name != null && !UNSHARED.contains(name);
      if (name == null) {
        name = values.getHeaderName().toString().toLowerCase(Locale.ROOT);
      }
      for (String v : values) {
        String known = COMMON_VALUES.get(v);
        headers.add(new Header(name, known != null ? known : shared ? recent(v) : v));
      }
    }
    InetSocketAddress client = exchange.getSourceAddress();
    InetSocketAddress server = shared(exchange.getDestinationAddress());
    String scheme = exchange.getRequestScheme();
    String rootPath = settings.rootPath;
    TrustedProxies proxies = settings.trustedProxies;
    if (client != null && proxies.trusts(client.getAddress())) {
      String xff = first(exchange.getRequestHeaders().getFirst(proxies.addressHeader()));
      if (xff != null) {
        client = address(xff, parsePort(exchange.getRequestHeaders().getFirst(proxies.portHeader()), 0));
      }
      String root = exchange.getRequestHeaders().getFirst("Daphne-Root-Path");
      if (root != null) {
        String decoded = decodePath(root); // Daphne unquotes it too
        if (RootPaths.valid(decoded)) {
          rootPath = decoded;
        } else {
          Bridge.LOG.debug("Ignored Daphne-Root-Path '{}': not a root path", LogText.escape(decoded));
        }
      }
      String proto = first(exchange.getRequestHeaders().getFirst("X-Forwarded-Proto"));
      if (proto != null) {
        proto = proto.toLowerCase(Locale.ROOT);
        if (proto.equals("http") || proto.equals("https") || proto.equals("ws") || proto.equals("wss")) {
          scheme = proto.equals("https") || proto.equals("wss") ? "https" : "http";
        }
      }
      String host = first(exchange.getRequestHeaders().getFirst("X-Forwarded-Host"));
      if (host != null) {
        server = hostPort(host, scheme.equals("https") ? 443 : 80);
      }
    }
    if (ws) {
      scheme = scheme.equals("https") ? "wss" : "ws";
    }
    Scope.Builder b = Scope.builder(type)
        .httpVersion(httpVersion(exchange.getProtocol().toString()))
        .scheme(scheme)
        .path(decodePath(raw))
        .rawPath(raw)
        .queryString(exchange.getQueryString())
        .rootPath(rootPath)
        .headers(headers);
    if (!ws) {
      b.method(exchange.getRequestMethod().toString());
    }
    if (client != null) {
      b.client(client);
    }
    if (server != null) {
      b.server(server);
    }
    return b;
  }

  static String rawPath(String uri) {
    if (uri.startsWith("/")) {
      return uri;
    }
    int scheme = uri.indexOf("://");
    if (scheme < 0) {
      return uri.isEmpty() ? "/" : uri;
    }
    int slash = uri.indexOf('/', scheme + 3);
    return slash < 0 ? "/" : uri.substring(slash);
  }

  static String httpVersion(String protocol) {
    String v = protocol.startsWith("HTTP/") ? protocol.substring(5) : protocol;
    return v.equals("2.0") ? "2" : v;
  }

  /** Percent-decodes a path as UTF-8 ({@code +} stays a plus); malformed escapes are kept as they are. */
  static String decodePath(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      byte c = bytes[i];
      if (c == '%' && i + 2 < bytes.length) {
        int hi = Character.digit(bytes[i + 1], 16);
        int lo = Character.digit(bytes[i + 2], 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi << 4 | lo);
          i += 2;
          continue;
        }
      }
      out.write(c);
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  static List<String> subprotocols(HttpServerExchange exchange) {
    HeaderValues values = exchange.getRequestHeaders().get("Sec-WebSocket-Protocol");
    if (values == null) {
      return List.of(); // the usual case: one shared empty list rather than one per connection
    }
    List<String> out = new ArrayList<>();
    for (String v : values) {
      for (String p : v.split(",")) {
        String t = p.trim();
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return out;
  }

  /** The first entry of a comma-separated header, trimmed; null if there is none. */
  static String first(String header) {
    if (header == null) {
      return null;
    }
    int comma = header.indexOf(',');
    String v = (comma < 0 ? header : header.substring(0, comma)).trim();
    return v.isEmpty() ? null : v;
  }

  private static int parsePort(String s, int fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      int p = Integer.parseInt(first(s));
      return p >= 0 && p <= 65535 ? p : fallback;
    } catch (NumberFormatException | NullPointerException e) {
      return fallback;
    }
  }

  private static InetSocketAddress hostPort(String host, int defaultPort) {
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < colon && host.indexOf(':') == colon) {
      return address(host.substring(0, colon), parsePort(host.substring(colon + 1), defaultPort));
    }
    return address(host, defaultPort);
  }

  /** An address for a forwarded host; IP literals resolve without DNS, names stay unresolved. */
  private static InetSocketAddress address(String host, int port) {
    if (IP_LITERAL.matcher(host).matches()) {
      try {
        return new InetSocketAddress(InetAddress.getByName(host), port);
      } catch (UnknownHostException e) {
        // fall through: keep it as a name
      }
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
