package io.channels4j.testing;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.undertow.ChannelsServer;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The live server of a {@link ChannelsLiveServer} test class, as injected into its tests: where it listens,
 * and the current test's channel layer.
 */
public final class LiveServer {

  private final ChannelsServer server;
  private final AtomicReference<ChannelLayer> layer;

  LiveServer(ChannelsServer server, AtomicReference<ChannelLayer> layer) {
    this.server = Objects.requireNonNull(server, "server");
    this.layer = layer;
  }

  /** {@return the port it listens on} */
  public int port() {
    return server.port();
  }

  /** {@return {@code http://127.0.0.1:PORT}, also what a browser on this server sends as {@code Origin}} */
  public String origin() {
    return "http://127.0.0.1:" + port();
  }

  /**
   * The HTTP URI of {@code rawPath} (already percent-encoded), e.g. {@code httpUri("/chat/")}.
   *
   * @param rawPath the path, starting with {@code /}, with query if any
   * @return the {@code http://} URI of the path on this server
   * @throws IllegalArgumentException if {@code rawPath} does not start with {@code /}
   */
  public URI httpUri(String rawPath) {
    return URI.create(origin() + requireAbsolute(rawPath));
  }

  /**
   * The WebSocket URI of {@code rawPath} (already percent-encoded), e.g. {@code wsUri("/ws/chat/lobby/")}.
   *
   * @param rawPath the path, starting with {@code /}, with query if any
   * @return the {@code ws://} URI of the path on this server
   * @throws IllegalArgumentException if {@code rawPath} does not start with {@code /}
   */
  public URI wsUri(String rawPath) {
    return URI.create("ws://127.0.0.1:" + port() + requireAbsolute(rawPath));
  }

  /**
   * The channel layer of the test running now: consumers the server starts during the test use it.
   *
   * @return the current test's layer
   * @throws IllegalStateException outside a test (in {@code @BeforeAll} or {@code @AfterAll})
   */
  public ChannelLayer layer() {
    ChannelLayer current = layer.get();
    if (current == null) {
      throw new IllegalStateException("no test is running: each test gets its own layer");
    }
    return current;
  }

  /** {@return the server itself} */
  public ChannelsServer server() {
    return server;
  }

  @Override
  public String toString() {
    return "LiveServer(" + origin() + ")";
  }

  private static String requireAbsolute(String rawPath) {
    if (!rawPath.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/': " + rawPath);
    }
    return rawPath;
  }
}
