package io.channels4j.routing;

import io.channels4j.ChannelsException;

/**
 * Thrown (as the failure of an application's stage) when a router has nowhere to send a connection: no
 * URL route for the path, no application for the scope type, or no application for the channel name.
 *
 * <p>The outermost {@link URLRouter} answers HTTP and WebSocket connections itself (404, or a rejected
 * handshake) instead of failing; this exception reaches the server only for other scope types and from
 * {@link ProtocolTypeRouter} and {@link ChannelNameRouter}. Package-private: users see (and may catch) it as
 * a {@link ChannelsException}, whose message says what could not be routed.
 */
final class NoRouteException extends ChannelsException {

  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message naming what could not be routed. */
  NoRouteException(String message) {
    super(message);
  }
}
