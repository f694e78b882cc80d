package io.channels4j.spring;

import static io.channels4j.spring.Setters.ifSet;

import io.channels4j.Application;
import io.channels4j.undertow.ChannelsServer;

/** Turns {@link ChannelsProperties.Server} into a {@link ChannelsServer.Builder}; a property left out keeps the builder's default. */
final class ServerBuilders {

  private ServerBuilders() {}

  static ChannelsServer.Builder of(Application application, ChannelsProperties.Server p) {
    ChannelsServer.Builder b = ChannelsServer.builder(application).host(p.host()).port(p.port());
    ifSet(p.ioThreads(), b::ioThreads);
    ifSet(p.rootPath(), b::rootPath);
    if (!p.allowedHosts().isEmpty()) {
      b.allowedHosts(p.allowedHosts().toArray(String[]::new));
    }
    if (!p.trustedProxies().isEmpty()) {
      b.trustedProxies(p.trustedProxies().toArray(String[]::new));
    }
    ifSet(p.maxConnections(), b::maxConnections);
    ifSet(p.maxConnectionsPerAddress(), b::maxConnectionsPerAddress);
    ifSet(p.maxHeaderSize(), size -> b.maxHeaderSize(Math.toIntExact(size.toBytes())));
    ifSet(p.maxBodySize(), size -> b.maxBodySize(size.toBytes()));
    ifSet(p.maxMessageSize(), size -> b.maxMessageSize(size.toBytes()));
    ifSet(p.maxOutboundBytes(), size -> b.maxOutboundBytes(size.toBytes()));
    ifSet(p.maxOutboundFrames(), b::maxOutboundFrames);
    ifSet(p.headerTimeout(), b::headerTimeout);
    ifSet(p.bodyTimeout(), b::bodyTimeout);
    ifSet(p.handshakeTimeout(), b::handshakeTimeout);
    ifSet(p.idleTimeout(), b::idleTimeout);
    ifSet(p.pingInterval(), b::pingInterval);
    ifSet(p.pingTimeout(), b::pingTimeout);
    ifSet(p.closeTimeout(), b::closeTimeout);
    ifSet(p.shutdownTimeout(), b::shutdownTimeout);
    ifSet(p.perMessageDeflate(), b::perMessageDeflate);
    return b;
  }
}
