/**
 * Routers: applications that pick another application for each connection, the Java form of {@code
 * channels.routing}.
 *
 * <ul>
 *   <li>{@link io.channels4j.routing.ProtocolTypeRouter} by scope type ({@code http}, {@code websocket},
 *       {@code channel});
 *   <li>{@link io.channels4j.routing.URLRouter} by path, with routes built by {@link
 *       io.channels4j.routing.Routes#path} and {@link io.channels4j.routing.Routes#rePath} (Django
 *       converters, nested routers, captured values in {@link io.channels4j.Scope#urlRoute()});
 *   <li>{@link io.channels4j.routing.ChannelNameRouter} by channel name, for workers.
 * </ul>
 *
 * <p>Routers are immutable, validate their configuration when built, and hold no per-connection state.
 */
package io.channels4j.routing;
