package io.channels4j.consumer;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.consumer.WebsocketLifecycle.Steps;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A non-blocking WebSocket consumer: override {@link #connect()}, {@link #receive(String, byte[])} and
 * {@link #disconnect(int)}, and add handlers for your channel-layer messages.
 *
 * <pre>{@code
 * public class ChatConsumer extends AsyncWebsocketConsumer {
 *   private String group;
 *
 *   public CompletionStage<Void> connect() {
 *     group = "chat_" + scope().urlRoute().kwarg("room_name").orElseThrow();
 *     return channelLayer().groupAdd(group, channelName()).thenCompose(v -> accept());
 *   }
 *   public CompletionStage<Void> receive(String text, byte[] bytes) {
 *     return channelLayer().groupSend(group, Message.of("chat.message", "text", text));
 *   }
 *   public CompletionStage<Void> chatMessage(Message event) {
 *     return send(event.getString("text"));
 *   }
 *   public CompletionStage<Void> disconnect(int code) {
 *     return channelLayer().groupDiscard(group, channelName());
 *   }
 * }
 * }</pre>
 *
 * <p>Groups returned by {@link #groups()} are joined before {@code connect()} and left after {@code
 * disconnect}. Handlers must not block; see {@link WebsocketConsumer} for blocking code.
 */
public abstract class AsyncWebsocketConsumer extends AsyncConsumer {

  /** Creates a consumer. */
  protected AsyncWebsocketConsumer() {}

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
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> websocketConnect(Message message) {
    return WebsocketLifecycle.connect(this, groups(), Steps.ASYNC, this::connect,
        new WebsocketLifecycle.Answers(this::accept, this::close));
  }

  /**
   * Called when a client connects; accepts by default. Call {@link #accept()} or {@link #close()}, or throw
   * {@link io.channels4j.ChannelsException.AcceptConnection} or {@link
   * io.channels4j.ChannelsException.DenyConnection} (from here or from the returned stage). Any other
   * exception before the handshake is answered makes the server answer HTTP 500.
   *
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> connect() {
    return accept();
  }

  /**
   * Accepts the connection.
   *
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> accept() {
    return accept(null, List.of());
  }

  /**
   * Accepts the connection with {@code subprotocol} (one the client offered, or null).
   *
   * @param subprotocol the subprotocol, or {@code null}
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> accept(String subprotocol) {
    return accept(subprotocol, List.of());
  }

  /**
   * Accepts the connection with {@code subprotocol} and extra response {@code headers}.
   *
   * @param subprotocol the subprotocol, or {@code null}
   * @param headers the headers
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> accept(String subprotocol, List<Header> headers) {
    return send(WebsocketSupport.accept(subprotocol, headers));
  }

  /**
   * Handles {@code websocket.receive}: calls {@link #receive(String, byte[])} with the frame.
   *
   * @param message the message
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> websocketReceive(Message message) {
    String text = message.getString("text");
    return text != null ? receive(text, null) : receive(null, message.getBytes("bytes"));
  }

  /**
   * Called for each frame: {@code textData} for a text frame, else {@code bytesData}. Does nothing by
   * default.
   *
   * @param textData the text frame, or {@code null}
   * @param bytesData the binary frame, or {@code null}
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> receive(String textData, byte[] bytesData) {
    return Application.done();
  }

  /**
   * Sends a text frame.
   *
   * @param textData the text frame, or {@code null}
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> send(String textData) {
    return send(WebsocketSupport.text(textData));
  }

  /**
   * Sends a binary frame.
   *
   * @param bytesData the binary frame, or {@code null}
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> send(byte[] bytesData) {
    return send(WebsocketSupport.bytes(bytesData));
  }

  /**
   * Sends a text frame, then closes with 1000 if {@code close} (Channels' {@code send(text_data,
   * close=True)}).
   *
   * @param textData the text frame
   * @param close whether to close after it
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> send(String textData, boolean close) {
    CompletionStage<Void> sent = send(textData);
    return close ? sent.thenCompose(v -> close()) : sent;
  }

  /**
   * Sends a binary frame, then closes with 1000 if {@code close} (Channels' {@code send(bytes_data,
   * close=True)}).
   *
   * @param bytesData the binary frame
   * @param close whether to close after it
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> send(byte[] bytesData, boolean close) {
    CompletionStage<Void> sent = send(bytesData);
    return close ? sent.thenCompose(v -> close()) : sent;
  }

  /**
   * Closes with code 1000.
   *
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> close() {
    return close(WebsocketSupport.NORMAL, null);
  }

  /**
   * Closes with {@code code}. Before accept, the server rejects the handshake (HTTP 403).
   *
   * @param code the WebSocket close code
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> close(int code) {
    return close(code, null);
  }

  /**
   * Closes with {@code code} and {@code reason} (cut to 123 UTF-8 bytes).
   *
   * @param code the WebSocket close code
   * @param reason the close reason
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> close(int code, String reason) {
    return send(WebsocketSupport.close(code, reason));
  }

  /**
   * Handles {@code websocket.disconnect}: leaves the groups, calls {@link #disconnect(int)}, stops.
   *
   * @param message the message
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> websocketDisconnect(Message message) {
    int code = message.getInt("code", 1005);
    return WebsocketLifecycle.disconnect(this, groups(), Steps.ASYNC, () -> disconnect(code));
  }

  /**
   * Called when the connection has closed, with its close code. Does nothing by default.
   *
   * @param code the WebSocket close code
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> disconnect(int code) {
    return Application.done();
  }

  /** Closes with 1011, then leaves {@link #groups()}; the connection ends when both are done. */
  @Override
  protected CompletionStage<Void> onError(Throwable error) {
    return WebsocketLifecycle.onError(this, groups());
  }
}
