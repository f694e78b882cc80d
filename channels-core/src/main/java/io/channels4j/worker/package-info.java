/**
 * Workers: background processes that consume named channels from a channel layer, the Java form of
 * Channels' {@code runworker}. See {@link io.channels4j.worker.Worker}.
 */
package io.channels4j.worker;
