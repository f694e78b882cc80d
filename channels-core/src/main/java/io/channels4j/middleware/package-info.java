/**
 * Middleware: applications that wrap another application, the Java form of {@code channels.middleware}
 * and {@code channels.security.websocket}.
 *
 * <ul>
 *   <li>{@link io.channels4j.middleware.BaseMiddleware}, the base for middleware that derives a new scope
 *       for the application it wraps;
 *   <li>{@link io.channels4j.middleware.OriginValidator} and {@link
 *       io.channels4j.middleware.AllowedHostsOriginValidator}, which reject WebSocket handshakes from
 *       origins that are not allowed (HTTP 403 at the server).
 * </ul>
 *
 * <p>Middleware instances serve every connection and hold no per-connection state.
 */
package io.channels4j.middleware;
