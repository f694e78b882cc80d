package io.channels4j.auth;

import io.channels4j.Scope;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;

/** The client of a scope, for limits and log lines. */
final class Clients {

  private Clients() {}

  /** The client's IP address, if the server gave one. */
  static Optional<InetAddress> address(Scope scope) {
    return scope.client().map(InetSocketAddress::getAddress);
  }

  /** The client for a log line: its IP address, or {@code "unknown client"}. */
  static String text(Scope scope) {
    return address(scope).map(InetAddress::getHostAddress).orElse("unknown client");
  }
}
