/**
 * Test tools: run applications and consumers without a server. {@link
 * io.channels4j.testing.WebsocketCommunicator}, {@link io.channels4j.testing.HttpCommunicator} and
 * {@link io.channels4j.testing.ApplicationCommunicator} need no test framework.
 */
package io.channels4j.testing;
