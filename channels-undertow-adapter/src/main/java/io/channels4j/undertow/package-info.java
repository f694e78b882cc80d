/**
 * Serves Channels4J applications on Undertow: {@link io.channels4j.undertow.ChannelsServer} runs a
 * server, {@link io.channels4j.undertow.ChannelsHandler} is the plain Undertow handler for users who
 * mount it themselves, and {@link io.channels4j.undertow.Main} is the Daphne-like command line. Everything
 * else is package-private.
 */
package io.channels4j.undertow;
