package io.channels4j.auth;

import io.channels4j.Application;
import io.channels4j.Receive;
import io.channels4j.Scope;
import io.channels4j.Send;
import io.channels4j.internal.Denials;
import io.channels4j.middleware.BaseMiddleware;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Limits how many connections one client address may hold open at once through this application: over
 * the limit, an HTTP request gets 429 and a WebSocket handshake is refused (HTTP 403), each with one WARN
 * line naming the rule and the address. A connection counts from its scope's start until the application
 * ends it; scopes without a client address are not counted.
 *
 * <pre>{@code
 * Application app = ConnectionLimitMiddleware.of(router, 20);
 * }</pre>
 *
 * <p>{@code ChannelsServer.Builder.maxConnectionsPerAddress} bounds raw connections at the server, before any
 * bytes are parsed; this middleware is the same rule for an application mounted in another server, or for
 * one part of an application (the sockets only, say). Behind a proxy every client shares the proxy's
 * address: the limit then counts the proxy.
 */
public final class ConnectionLimitMiddleware extends BaseMiddleware {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimitMiddleware.class);

  private final int maxPerAddress;
  private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();

  private ConnectionLimitMiddleware(Application inner, int maxPerAddress) {
    super(inner);
    if (maxPerAddress < 1) {
      throw new IllegalArgumentException("maxPerAddress must be at least 1, got " + maxPerAddress);
    }
    this.maxPerAddress = maxPerAddress;
  }

  /**
   * Wraps {@code inner}, allowing each client address {@code maxPerAddress} open connections.
   *
   * @param inner the application to wrap
   * @param maxPerAddress the max per address
   * @return the connection limit middleware
   */
  public static ConnectionLimitMiddleware of(Application inner, int maxPerAddress) {
    return new ConnectionLimitMiddleware(inner, maxPerAddress);
  }

  @Override
  public CompletionStage<Void> handle(Scope scope, Receive receive, Send send) {
    boolean http = Scope.HTTP.equals(scope.type());
    InetAddress address = Clients.address(scope).orElse(null);
    if (address == null || !http && !Scope.WEBSOCKET.equals(scope.type())) {
      return inner().handle(scope, receive, send);
    }
    boolean[] admitted = new boolean[1];
    open.compute(address, (a, n) -> {
      int count = n == null ? 0 : n;
      admitted[0] = count < maxPerAddress;
      return admitted[0] ? count + 1 : n;
    });
    if (!admitted[0]) {
      LOG.warn("Refused {} {} from {}: it already holds {} connections, the per-address limit",
          http ? "HTTP request" : "WebSocket", Denials.quote(scope.path()), address.getHostAddress(), maxPerAddress);
      return http
          ? Denials.httpResponse(send, 429, "Too Many Requests: too many connections from your address\n")
          : Denials.denyWebsocket(receive, send);
    }
    CompletionStage<Void> done;
    try {
      done = inner().handle(scope, receive, send);
    } catch (RuntimeException e) {
      release(address);
      throw e;
    }
    return done.whenComplete((v, e) -> release(address));
  }

  private void release(InetAddress address) {
    open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  /** How many connections {@code address} holds open now. */
  int openConnections(InetAddress address) {
    return open.getOrDefault(address, 0);
  }

  @Override
  public String toString() {
    return "ConnectionLimitMiddleware[" + maxPerAddress + " per address](" + inner() + ")";
  }
}
