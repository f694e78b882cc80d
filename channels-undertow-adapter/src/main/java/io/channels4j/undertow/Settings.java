package io.channels4j.undertow;

import io.channels4j.Application;
import io.channels4j.ServerObserver;
import java.time.Duration;
import java.util.concurrent.Executor;

/** The immutable options of one {@link ChannelsHandler}; built by {@link ChannelsHandler.Builder}. */
final class Settings {
  final Application application;
  final Executor executor;
  final String rootPath;
  final long maxMessageSize;
  final long maxBodySize;
  /** {@code maxBodySize} plus {@link HttpBridge#DRAIN_LIMIT} (saturating): what is read of a body at most. */
  final long maxBodyRead;
  final Duration bodyTimeout;
  final AllowedHosts allowedHosts;
  final Duration handshakeTimeout;
  final Duration pingInterval;
  final Duration pingTimeout;
  final Duration idleTimeout;
  final Duration closeTimeout;
  final int maxConnections;
  final long maxOutboundBytes;
  final int maxOutboundFrames;
  final int maxInboundMessages;
  final long maxInboundBytes;
  final ChannelsHandler.OverflowPolicy overflowPolicy;
  final TrustedProxies trustedProxies;
  final Duration websocketTimeout;
  final Duration applicationCloseTimeout;
  final boolean perMessageDeflate;
  final ServerObserver observer;

  Settings(ChannelsHandler.Builder b) {
    this.application = b.application;
    this.executor = b.executor;
    this.rootPath = b.rootPath;
    this.maxMessageSize = b.maxMessageSize;
    this.maxBodySize = b.maxBodySize;
    this.maxBodyRead = b.maxBodySize > Long.MAX_VALUE - HttpBridge.DRAIN_LIMIT ? Long.MAX_VALUE
        : b.maxBodySize + HttpBridge.DRAIN_LIMIT;
    this.bodyTimeout = b.bodyTimeout;
    this.allowedHosts = b.allowedHosts;
    this.handshakeTimeout = b.handshakeTimeout;
    this.pingInterval = b.pingInterval;
    this.pingTimeout = b.pingTimeout;
    this.idleTimeout = b.idleTimeout;
    this.closeTimeout = b.closeTimeout;
    this.maxConnections = b.maxConnections;
    this.maxOutboundBytes = b.maxOutboundBytes;
    this.maxOutboundFrames = b.maxOutboundFrames;
    this.maxInboundMessages = b.maxInboundMessages;
    this.maxInboundBytes = b.maxInboundBytes;
    this.overflowPolicy = b.overflowPolicy;
    this.trustedProxies = b.trustedProxies;
    this.websocketTimeout = b.websocketTimeout;
    this.applicationCloseTimeout = b.applicationCloseTimeout;
    this.perMessageDeflate = b.perMessageDeflate;
    this.observer = b.observer;
  }
}
