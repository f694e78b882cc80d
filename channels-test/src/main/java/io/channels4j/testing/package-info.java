/**
 * Test tools (the channels-test artifact, for test scope). {@link
 * io.channels4j.testing.WebsocketCommunicator}, {@link io.channels4j.testing.HttpCommunicator} and {@link
 * io.channels4j.testing.ApplicationCommunicator} run applications and consumers without a server and need no
 * test framework. {@link io.channels4j.testing.ChannelsLiveServer} is a JUnit 5 extension that runs a test class
 * against a live server, with a fresh channel layer per test.
 */
package io.channels4j.testing;
