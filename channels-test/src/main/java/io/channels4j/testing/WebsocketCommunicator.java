package io.channels4j.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.Scope;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tests a WebSocket application without a server: the Java form of Channels' {@code
 * WebsocketCommunicator}.
 *
 * <pre>{@code
 * WebsocketCommunicator ws = new WebsocketCommunicator(application, "/ws/chat/lobby/");
 * assertThat(ws.connect().accepted()).isTrue();
 * ws.sendJsonTo(Map.of("message", "hello"));
 * assertThat(ws.receiveJsonFrom().get("message").asText()).isEqualTo("hello");
 * ws.disconnect();
 * }</pre>
 */
public class WebsocketCommunicator extends ApplicationCommunicator {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private List<Header> responseHeaders = List.of();
  private volatile boolean connectSent;

  /**
   * Connects to {@code path} (which may carry a {@code ?query}) with no headers or subprotocols.
   *
   * @param application the application
   * @param path the path
   */
  public WebsocketCommunicator(Application application, String path) {
    this(application, path, List.of(), List.of());
  }

  /**
   * Connects to {@code path} with request {@code headers} and offered {@code subprotocols}.
   *
   * @param application the application
   * @param path the path
   * @param headers the headers
   * @param subprotocols the subprotocols
   */
  public WebsocketCommunicator(Application application, String path, List<Header> headers, List<String> subprotocols) {
    this(application, scopeFor(path, headers, subprotocols));
  }

  /**
   * Connects with a scope of the caller's making (its type must be {@code websocket}).
   *
   * @param application the application
   * @param scope the connection scope
   */
  public WebsocketCommunicator(Application application, Scope scope) {
    super(application, requireWebsocket(scope));
  }

  /** The outcome of {@link #connect()}. */
  public static final class Connection {
    private final boolean accepted;
    private final String subprotocol;
    private final int closeCode;

    Connection(boolean accepted, String subprotocol, int closeCode) {
      this.accepted = accepted;
      this.subprotocol = subprotocol;
      this.closeCode = closeCode;
    }

    /**
     * True if the application accepted the connection.
     *
     * @return {@code true} if the application accepted the connection
     */
    public boolean accepted() {
      return accepted;
    }

    /** {@return the subprotocol it accepted with, if any} */
    public Optional<String> subprotocol() {
      return Optional.ofNullable(subprotocol);
    }

    /** {@return the close code it rejected with (a server answers HTTP 403); 0 when accepted} */
    public int closeCode() {
      return closeCode;
    }

    @Override
    public String toString() {
      return accepted ? "accepted(" + subprotocol + ")" : "rejected(" + closeCode + ")";
    }
  }

  /**
   * A close frame the application sent.
   *
   * @param code the close code (1000 if the application gave none)
   * @param reason the close reason ({@code ""} if none)
   */
  public record Close(int code, String reason) {
    @Override
    public String toString() {
      return "close(" + code + (reason.isEmpty() ? "" : ", " + reason) + ")";
    }
  }

  /**
   * Sends {@code websocket.connect} and waits up to 1 s for accept or close.
   *
   * @return whether it was accepted, and with what
   */
  public Connection connect() {
    return connect(DEFAULT_TIMEOUT);
  }

  /**
   * Sends {@code websocket.connect} and waits for the application's answer.
   *
   * @param timeout how long to wait
   * @return whether it was accepted, and with what
   * @throws AssertionError if it answers with anything but accept or close
   * @throws RuntimeException the application's exception if it failed before answering (an exception in
   *     {@code connect()}: a server answers that handshake with HTTP 500), as in Channels
   */
  public Connection connect(Duration timeout) {
    sendInput(Message.of("websocket.connect"));
    connectSent = true;
    Message m = receiveOutput(timeout);
    return switch (m.type()) {
      case "websocket.accept" -> {
        responseHeaders = Header.fromMessageValue(m.asMap().get("headers"));
        yield new Connection(true, m.getString("subprotocol"), 0);
      }
      case "websocket.close" -> new Connection(false, null, m.getInt("code", 1000));
      default -> throw new AssertionError("expected websocket.accept or websocket.close, got " + m);
    };
  }

  /** {@return the headers the application accepted with} */
  public List<Header> responseHeaders() {
    return responseHeaders;
  }

  /**
   * Sends a text frame.
   *
   * @param textData the text frame, or {@code null}
   */
  public void sendTo(String textData) {
    sendInput(Message.of("websocket.receive", "text", textData));
  }

  /**
   * Sends a binary frame.
   *
   * @param bytesData the binary frame, or {@code null}
   */
  public void sendTo(byte[] bytesData) {
    sendInput(Message.of("websocket.receive", "bytes", bytesData));
  }

  /**
   * Sends {@code data} encoded as JSON in a text frame.
   *
   * @param data the data
   */
  public void sendJsonTo(Object data) {
    try {
      sendTo(MAPPER.writeValueAsString(data));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode " + data + " as JSON", e);
    }
  }

  /**
   * Receives a text frame, waiting up to 1 s.
   *
   * @return the frame's text
   */
  public String receiveFrom() {
    return receiveFrom(DEFAULT_TIMEOUT);
  }

  /**
   * Receives a text frame.
   *
   * @param timeout how long to wait
   * @return the frame's text
   * @throws AssertionError if something else arrives (saying what) or nothing does
   */
  public String receiveFrom(Duration timeout) {
    Message m = expectSend(timeout);
    if (m.getString("text") == null) {
      throw new AssertionError("expected a text frame, got a binary frame of " + m.getBytes("bytes").length + " bytes");
    }
    return m.getString("text");
  }

  /**
   * Receives a binary frame, waiting up to 1 s.
   *
   * @return the frame's bytes
   */
  public byte[] receiveBytesFrom() {
    return receiveBytesFrom(DEFAULT_TIMEOUT);
  }

  /**
   * Receives a binary frame.
   *
   * @param timeout how long to wait
   * @return the frame's bytes
   */
  public byte[] receiveBytesFrom(Duration timeout) {
    Message m = expectSend(timeout);
    if (m.getBytes("bytes") == null) {
      throw new AssertionError("expected a binary frame, got a text frame: " + m.getString("text"));
    }
    return m.getBytes("bytes");
  }

  /**
   * Receives a text frame and decodes it as JSON, waiting up to 1 s.
   *
   * @return the JSON node
   */
  public JsonNode receiveJsonFrom() {
    return receiveJsonFrom(DEFAULT_TIMEOUT);
  }

  /**
   * Receives a text frame and decodes it as JSON.
   *
   * @param timeout how long to wait
   * @return the JSON node
   */
  public JsonNode receiveJsonFrom(Duration timeout) {
    String text = receiveFrom(timeout);
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("expected a JSON text frame, got " + text, e);
    }
  }

  /**
   * Receives the close frame the application sends, waiting up to 1 s.
   *
   * @return the close code and reason
   */
  public Close receiveClose() {
    return receiveClose(DEFAULT_TIMEOUT);
  }

  /**
   * Receives the close frame the application sends.
   *
   * @param timeout how long to wait
   * @return the close code and reason
   */
  public Close receiveClose(Duration timeout) {
    Message m = receiveOutput(timeout);
    if (!"websocket.close".equals(m.type())) {
      throw new AssertionError("expected websocket.close, got " + m);
    }
    String reason = m.getString("reason");
    return new Close(m.getInt("code", 1000), reason == null ? "" : reason);
  }

  /**
   * Ends the test connection as Channels' {@code disconnect()} does when still connected: sends {@code
   * websocket.disconnect} (1000) so the consumer's {@code disconnect} runs and its groups are left, waits up
   * to 1 s for the application to end, then stops it. Does not throw, so it is safe in try-with-resources;
   * call {@link #disconnect()} to have a failure or a hang reported.
   */
  @Override
  public void close() {
    if (connectSent && !isDone()) {
      sendInput(Message.of("websocket.disconnect", "code", 1000));
      try {
        await(DEFAULT_TIMEOUT);
      } catch (AssertionError e) {
        // reported by disconnect(); close() only cleans up
      }
    }
    super.close();
  }

  /** Sends {@code websocket.disconnect} with code 1000 and waits up to 1 s for the application to end. */
  public void disconnect() {
    disconnect(1000, DEFAULT_TIMEOUT);
  }

  /**
   * Sends {@code websocket.disconnect} with {@code code} and waits for the application to end.
   *
   * @param code the WebSocket close code
   * @param timeout how long to wait
   */
  public void disconnect(int code, Duration timeout) {
    sendInput(Message.of("websocket.disconnect", "code", code));
    await(timeout);
  }

  private Message expectSend(Duration timeout) {
    Message m = receiveOutput(timeout);
    if (!"websocket.send".equals(m.type())) {
      throw new AssertionError("expected websocket.send, got " + m);
    }
    return m;
  }

  private static Scope requireWebsocket(Scope scope) {
    if (!Scope.WEBSOCKET.equals(scope.type())) {
      throw new IllegalArgumentException("scope type must be 'websocket', got '" + scope.type() + "'");
    }
    return scope;
  }

  static Scope scopeFor(String path, List<Header> headers, List<String> subprotocols) {
    return builderFor(Scope.WEBSOCKET, path).headers(headers).subprotocols(subprotocols).build();
  }

  /** A scope builder with path, raw path and query string split from {@code pathAndQuery}. */
  static Scope.Builder builderFor(String type, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String raw = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    String decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    // ASGI's asgi key, as the Undertow server sets it, so scope().specVersion() reads the same in tests
    return Scope.builder(type).path(decoded).rawPath(raw).queryString(query)
        .set("asgi", Map.of("version", "3.0", "spec_version", Scope.WEBSOCKET.equals(type) ? "2.4" : "2.3"));
  }
}
