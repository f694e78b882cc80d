/**
 * The application model: {@link io.channels4j.Application} (scope, receive, send), {@link
 * io.channels4j.Scope} and {@link io.channels4j.Message} — the Java form of ASGI, as Django Channels
 * uses it.
 */
package io.channels4j;
