/**
 * Cookies, sessions and users: Channels' {@code AuthMiddlewareStack} without Django.
 *
 * <p>{@link io.channels4j.auth.AuthMiddlewareStack} wraps an application with {@link
 * io.channels4j.auth.CookieMiddleware}, {@link io.channels4j.auth.SessionMiddleware} (a signed {@code sessionid}
 * cookie; sessions in a {@link io.channels4j.auth.SessionStore}: in memory, in Redis with {@code
 * RedisSessionStore}, or in the cookie itself in Django's signed-cookie format) and {@link
 * io.channels4j.auth.AuthMiddleware} (the connection's {@link io.channels4j.auth.User}, found by a {@link
 * io.channels4j.auth.UserResolver}). Guards against cross-site writes, floods and too many connections are
 * {@link io.channels4j.auth.CsrfOriginMiddleware}, {@link io.channels4j.auth.RateLimitMiddleware} and {@link
 * io.channels4j.auth.ConnectionLimitMiddleware}.
 */
package io.channels4j.auth;
