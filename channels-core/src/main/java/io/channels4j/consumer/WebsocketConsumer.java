package io.channels4j.consumer;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.consumer.WebsocketLifecycle.Steps;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A blocking WebSocket consumer, the Java form of Channels' {@code WebsocketConsumer}: handlers run on
 * their own thread (see {@link SyncConsumer}) and may block, e.g. on {@code channelLayer().sync()}.
 *
 * <pre>{@code
 * public class EchoConsumer extends WebsocketConsumer {
 *   public void receive(String textData, byte[] bytesData) {
 *     send(textData);
 *   }
 * }
 * }</pre>
 *
 * <p>Groups returned by {@link #groups()} are joined before {@link #connect()} and left after {@link
 * #disconnect(int)}. Sending methods return once the server has taken the frame.
 */
public abstract class WebsocketConsumer extends SyncConsumer {

  /** Creates a consumer. */
  protected WebsocketConsumer() {}

  /**
   * Groups joined on connect and left on disconnect; none by default.
   *
   * @return the group names
   */
  protected List<String> groups() {
    return List.of();
  }

  /**
   * Handles {@code websocket.connect}: joins {@link #groups()}, then calls {@link #connect()}. If the
   * channel layer is unavailable, the handshake is refused with HTTP 503 (or close 1013 where the server
   * cannot send a denial response).
   *
   * @param message the message
   */
  public void websocketConnect(Message message) {
    await(WebsocketLifecycle.connect(this, groups(), Steps.SYNC, () -> {
      connect();
      return Application.done();
    }, new WebsocketLifecycle.Answers(() -> {
      accept();
      return Application.done();
    }, () -> {
      close();
      return Application.done();
    })));
  }

  /**
   * Called when a client connects; accepts by default. Call {@link #accept()} or {@link #close()}, or throw
   * {@link io.channels4j.ChannelsException.AcceptConnection} or {@link
   * io.channels4j.ChannelsException.DenyConnection}. Any other exception before the handshake is answered
   * makes the server answer HTTP 500.
   */
  public void connect() {
    accept();
  }

  /** Accepts the connection. */
  public void accept() {
    accept(null, List.of());
  }

  /**
   * Accepts the connection with {@code subprotocol} (one the client offered, or null).
   *
   * @param subprotocol the subprotocol, or {@code null}
   */
  public void accept(String subprotocol) {
    accept(subprotocol, List.of());
  }

  /**
   * Accepts the connection with {@code subprotocol} and extra response {@code headers}.
   *
   * @param subprotocol the subprotocol, or {@code null}
   * @param headers the headers
   */
  public void accept(String subprotocol, List<Header> headers) {
    await(send(WebsocketSupport.accept(subprotocol, headers)));
  }

  /**
   * Handles {@code websocket.receive}: calls {@link #receive(String, byte[])} with the frame.
   *
   * @param message the message
   */
  public void websocketReceive(Message message) {
    String text = message.getString("text");
    if (text != null) {
      receive(text, null);
    } else {
      receive(null, message.getBytes("bytes"));
    }
  }

  /**
   * Called for each frame: {@code textData} for a text frame, else {@code bytesData}.
   *
   * @param textData the text frame, or {@code null}
   * @param bytesData the binary frame, or {@code null}
   */
  public void receive(String textData, byte[] bytesData) {}

  /**
   * Sends a text frame.
   *
   * @param textData the text frame, or {@code null}
   */
  public void send(String textData) {
    await(send(WebsocketSupport.text(textData)));
  }

  /**
   * Sends a binary frame.
   *
   * @param bytesData the binary frame, or {@code null}
   */
  public void send(byte[] bytesData) {
    await(send(WebsocketSupport.bytes(bytesData)));
  }

  /**
   * Sends a text frame, then closes with 1000 if {@code close} (Channels' {@code send(text_data,
   * close=True)}).
   *
   * @param textData the text frame
   * @param close whether to close after it
   */
  public void send(String textData, boolean close) {
    send(textData);
    if (close) {
      close();
    }
  }

  /**
   * Sends a binary frame, then closes with 1000 if {@code close} (Channels' {@code send(bytes_data,
   * close=True)}).
   *
   * @param bytesData the binary frame
   * @param close whether to close after it
   */
  public void send(byte[] bytesData, boolean close) {
    send(bytesData);
    if (close) {
      close();
    }
  }

  /** Closes with code 1000. */
  public void close() {
    close(WebsocketSupport.NORMAL, null);
  }

  /**
   * Closes with {@code code}. Before accept, the server rejects the handshake (HTTP 403).
   *
   * @param code the WebSocket close code
   */
  public void close(int code) {
    close(code, null);
  }

  /**
   * Closes with {@code code} and {@code reason} (cut to 123 UTF-8 bytes).
   *
   * @param code the WebSocket close code
   * @param reason the close reason
   */
  public void close(int code, String reason) {
    await(send(WebsocketSupport.close(code, reason)));
  }

  /**
   * Handles {@code websocket.disconnect}: leaves the groups, calls {@link #disconnect(int)}, stops.
   *
   * @param message the message
   */
  public void websocketDisconnect(Message message) {
    int code = message.getInt("code", 1005);
    await(WebsocketLifecycle.disconnect(this, groups(), Steps.SYNC, () -> {
      disconnect(code);
      return Application.done();
    }));
  }

  /**
   * Called when the connection has closed, with its close code.
   *
   * @param code the WebSocket close code
   */
  public void disconnect(int code) {}

  /** Closes with 1011, then leaves {@link #groups()}; the connection ends when both are done. */
  @Override
  protected CompletionStage<Void> onError(Throwable error) {
    return WebsocketLifecycle.onError(this, groups());
  }
}
