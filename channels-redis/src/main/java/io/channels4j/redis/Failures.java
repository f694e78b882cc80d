package io.channels4j.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Why a Redis connection failed, in words: the messages of the cause chain and a hint for auth and TLS failures. */
final class Failures {

  private Failures() {}

  /** The distinct messages along {@code e}'s causes, then a hint when it is a password or TLS problem. */
  static String explain(Throwable e) {
    List<String> parts = new ArrayList<>();
    boolean tls = false;
    boolean auth = false;
    boolean broken = false;
    for (Throwable t = e; t != null && parts.size() < 6; t = t.getCause() == t ? null : t.getCause()) {
      tls |= t instanceof SSLException;
      String m = t.getMessage();
      if (m != null && !m.isBlank() && parts.stream().noneMatch(p -> p.contains(m))) {
        parts.add(m);
      }
      String upper = m == null ? "" : m.toUpperCase(Locale.ROOT);
      auth |= upper.startsWith("NOAUTH") || upper.startsWith("WRONGPASS") || upper.contains("INVALID PASSWORD");
      // lettuce, when the server ends the connection before its handshake (HELLO/AUTH) finished
      broken |= upper.contains("HANDSHAKEHANDLER NOT REGISTERED") || upper.contains("CLOSED PREMATURELY");
    }
    String text = parts.isEmpty() ? e.getClass().getSimpleName() : String.join(": ", parts);
    if (auth) {
      text += " (authentication failed: check the password in the host URI, or masterPassword/sentinelPassword"
          + " for Sentinel shards)";
    }
    if (broken && !auth && !tls) {
      text += " (the connection ended during the Redis handshake: check the password in the host URI, or"
          + " masterPassword/sentinelPassword for Sentinel shards, and TLS)";
    }
    if (tls) {
      text += " (TLS handshake failed: check sslCaCerts, and sslCertfile/sslKeyfile if the server requires client"
          + " certificates, tls-auth-clients)";
    }
    return text;
  }
}
