package io.channels4j.undertow;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One listener of {@link Main}, from {@code -b/-p} or a Twisted-style {@code -e} string as Daphne takes:
 * {@code tcp:port=8001:interface=0.0.0.0} (or {@code tcp:8001}) and {@code
 * ssl:port=8443:privateKey=key.pem:certKey=cert.pem} (PEM files; {@code certKey} defaults to {@code
 * privateKey}, which may hold both). A colon inside a value is written {@code \:}.
 *
 * @param host the address to bind
 * @param port the port (0 for any free one)
 * @param certFile the PEM certificate chain, null for plain HTTP
 * @param keyFile the PEM private key, null for plain HTTP
 */
record Endpoint(String host, int port, Path certFile, Path keyFile) {

  private static final Set<String> TCP_KEYS = Set.of("port", "interface");
  private static final Set<String> SSL_KEYS = Set.of("port", "interface", "privateKey", "certKey");

  boolean tls() {
    return certFile != null;
  }

  String describe() {
    return (tls() ? "ssl:" : "tcp:") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** Parses {@code -e} text; an IllegalArgumentException names the part that is wrong. */
  static Endpoint parse(String text) {
    int colon = text.indexOf(':');
    String kind = colon < 0 ? text : text.substring(0, colon);
    switch (kind) {
      case "tcp", "ssl" -> { }
      case "unix", "fd", "systemd" -> throw new IllegalArgumentException("endpoint '" + text + "': " + kind
          + " endpoints are not supported (Undertow listens on TCP only); use tcp:port=N:interface=ADDR or ssl:...");
      default -> throw new IllegalArgumentException("endpoint '" + text
          + "' must start with tcp: or ssl:, e.g. tcp:port=8001:interface=0.0.0.0");
    }
    Map<String, String> values = new LinkedHashMap<>();
    int positional = 0;
    for (String part : split(colon < 0 ? "" : text.substring(colon + 1))) {
      int eq = part.indexOf('=');
      String key = eq < 0 ? (positional++ == 0 ? "port" : "") : part.substring(0, eq);
      String value = eq < 0 ? part : part.substring(eq + 1);
      if (!(kind.equals("ssl") ? SSL_KEYS : TCP_KEYS).contains(key)) {
        throw new IllegalArgumentException("endpoint '" + text + "': unknown parameter '" + part + "' (" + kind
            + " takes " + String.join(", ", kind.equals("ssl") ? SSL_KEYS : TCP_KEYS) + ")");
      }
      if (values.put(key, value) != null) {
        throw new IllegalArgumentException("endpoint '" + text + "': '" + key + "' given twice");
      }
    }
    String port = values.get("port");
    if (port == null) {
      throw new IllegalArgumentException("endpoint '" + text + "' has no port, e.g. " + kind + ":port=8001");
    }
    int p = port(port, "endpoint '" + text + "'");
    String host = values.getOrDefault("interface", "0.0.0.0"); // Twisted listens on every interface by default
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("endpoint '" + text + "': interface is empty");
    }
    if (kind.equals("tcp")) {
      return new Endpoint(host, p, null, null);
    }
    String key = values.get("privateKey");
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("endpoint '" + text + "': ssl needs privateKey=FILE.pem (and certKey=FILE.pem"
          + " unless the key file holds the certificate too)");
    }
    return new Endpoint(host, p, Path.of(values.getOrDefault("certKey", key)), Path.of(key));
  }

  /** A port number 0-65535; otherwise an IllegalArgumentException starting with {@code what}. */
  static int port(String text, String what) {
    try {
      int p = Integer.parseInt(text.trim());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(what + ": port must be a number 0-65535, got '" + text + "'");
  }

  /** Splits on colons not escaped with a backslash, unescaping {@code \:} and {@code \\}. */
  private static java.util.List<String> split(String s) {
    java.util.List<String> out = new java.util.ArrayList<>();
    if (s.isEmpty()) {
      return out;
    }
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        cur.append(s.charAt(++i));
      } else if (c == ':') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
