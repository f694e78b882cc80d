package io.channels4j.auth;

import io.channels4j.Scope;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where a client puts a bearer token: the Authorization header, the subprotocol pair, the query string. */
final class BearerTokens {

  /** The query-string parameter a token may come in. */
  static final String PARAMETER = "access_token";
  /** The subprotocol announcing that the next offered subprotocol is a token. */
  static final String SUBPROTOCOL = "access_token";

  private BearerTokens() {}

  static Optional<String> find(Scope scope) {
    Optional<String> header = scope.header("authorization")
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).trim())
        .filter(t -> !t.isEmpty());
    if (header.isPresent()) {
      return header;
    }
    List<String> offered = scope.subprotocols();
    int i = offered.indexOf(SUBPROTOCOL);
    if (i >= 0 && i + 1 < offered.size()) {
      return Optional.of(offered.get(i + 1));
    }
    for (String pair : scope.queryString().split("&")) {
      if (pair.startsWith(PARAMETER + "=") && pair.length() > PARAMETER.length() + 1) {
        try {
          return Optional.of(URLDecoder.decode(pair.substring(PARAMETER.length() + 1), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  /** True if the client offered the token subprotocol pair. */
  static boolean offeredInSubprotocol(Scope scope) {
    return scope.subprotocols().contains(SUBPROTOCOL);
  }

  /**
   * The scope with the token removed from the offered subprotocols ({@code access_token} itself stays), so
   * the application never echoes a token back as its chosen subprotocol.
   */
  static Scope withoutSubprotocolToken(Scope scope) {
    List<String> offered = scope.subprotocols();
    int i = offered.indexOf(SUBPROTOCOL);
    if (i < 0 || i + 1 >= offered.size()) {
      return scope;
    }
    List<String> kept = new ArrayList<>(offered);
    kept.remove(i + 1);
    return scope.with("subprotocols", List.copyOf(kept));
  }
}
