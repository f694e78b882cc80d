package io.channels4j.undertow;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.ChannelListener;
import org.xnio.StreamConnection;

/**
 * Admits each TCP connection {@link ChannelsServer} accepts, before Undertow parses a byte of it: at
 * most {@code maxPerAddress} open connections per client address (429 beyond; {@linkplain
 * Settings#trustedProxies trusted proxies} are exempt), and a {@link HeaderWatch} on every connection,
 * which bounds the time and bytes of each request head and counts a connection still sending one
 * against {@code maxConnections}.
 */
final class ConnectionGate implements ChannelListener<StreamConnection> {

  /** The limits the gate applies; see the {@link ChannelsServer.Builder} options of the same names. */
  record Limits(Duration headerTimeout, int maxHeaderSize, int maxConnectionsPerAddress) {}

  private final ChannelListener<StreamConnection> undertow;
  final ChannelsHandler handler;
  final Limits limits;
  private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

  ConnectionGate(ChannelListener<StreamConnection> undertow, ChannelsHandler handler, Limits limits) {
    this.undertow = undertow;
    this.handler = handler;
    this.limits = limits;
  }

  @Override
  public void handleEvent(StreamConnection connection) {
    InetSocketAddress peer = connection.getPeerAddress(InetSocketAddress.class);
    // proxies named by address or range are exempt; trusting every peer (--trust-all-proxies) exempts none
    TrustedProxies proxies = handler.settings.trustedProxies;
    InetAddress address = peer == null || (!proxies.all() && proxies.trusts(peer.getAddress()))
        ? null : peer.getAddress();
    if (address != null && !admit(address)) {
      Bridge.LOG.warn("Refused a connection from {}: {} open connections from one address is the limit "
          + "(maxConnectionsPerAddress); answered 429", address.getHostAddress(), limits.maxConnectionsPerAddress());
      RawAnswer.send(connection, 429, "Too Many Requests");
      return;
    }
    HeaderWatch watch = new HeaderWatch(connection, this, address);
    connection.getSourceChannel().setConduit(watch);
    connection.setCloseListener(c -> watch.closed());
    if (!watch.begin()) {
      return; // refused (503): the watch answers and closes
    }
    undertow.handleEvent(connection); // Undertow sets its own close listener: chain ours after it
    ChannelListener<? super StreamConnection> theirs = connection.getCloseListener();
    connection.setCloseListener(c -> {
      try {
        if (theirs != null) {
          theirs.handleEvent(c);
        }
      } finally {
        watch.closed();
      }
    });
    if (!connection.isOpen()) {
      watch.closed();
    }
  }

  /** Counts one more connection from {@code address}; false (and not counted) if it is at the limit. */
  private boolean admit(InetAddress address) {
    boolean[] admitted = new boolean[1];
    perAddress.compute(address, (a, n) -> {
      int now = n == null ? 0 : n;
      if (now >= limits.maxConnectionsPerAddress()) {
        return n;
      }
      admitted[0] = true;
      return now + 1;
    });
    return admitted[0];
  }

  /** One connection from {@code address} closed; null (an uncounted connection) is ignored. */
  void release(InetAddress address) {
    if (address != null) {
      perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** Open connections counted for {@code address} (for tests and diagnostics). */
  int openFrom(InetAddress address) {
    return perAddress.getOrDefault(address, 0);
  }
}
