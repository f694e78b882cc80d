/** Micrometer meters for Channels4J applications, layers and servers: see {@link io.channels4j.micrometer.ChannelsMeters}. */
package io.channels4j.micrometer;
