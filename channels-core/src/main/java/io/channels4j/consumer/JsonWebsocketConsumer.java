package io.channels4j.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A blocking WebSocket consumer that speaks JSON: text frames are decoded and passed to {@link
 * #receiveJson(JsonNode)}; {@link #sendJson(Object)} encodes with Jackson. Invalid JSON closes the
 * connection with 1007 and a reason; a binary frame closes it with 1003.
 */
public abstract class JsonWebsocketConsumer extends WebsocketConsumer {

  /** Creates a consumer. */
  protected JsonWebsocketConsumer() {}

  @Override
  public final void receive(String textData, byte[] bytesData) {
    JsonSupport.Frame frame = JsonSupport.read(this, textData, this::decodeJson);
    if (frame.decoded()) {
      receiveJson(frame.content());
    } else {
      close(frame.closeCode(), frame.reason());
    }
  }

  /**
   * Called with each decoded JSON frame.
   *
   * @param content the content
   */
  public void receiveJson(JsonNode content) {}

  /**
   * Encodes {@code content} as JSON and sends it as a text frame.
   *
   * @param content the content
   */
  public void sendJson(Object content) {
    send(encodeJson(content));
  }

  /**
   * Encodes {@code content} as JSON, sends it, then closes with 1000 if {@code close} (Channels' {@code
   * send_json(content, close=True)}).
   *
   * @param content the content
   * @param close whether to close after it
   */
  public void sendJson(Object content, boolean close) {
    send(encodeJson(content), close);
  }

  /**
   * Decodes a text frame; override to use another mapper.
   *
   * @param text the text
   * @return the JSON node
   * @throws com.fasterxml.jackson.core.JsonProcessingException if it cannot be done
   */
  protected JsonNode decodeJson(String text) throws JsonProcessingException {
    return JsonSupport.decode(text);
  }

  /**
   * Encodes content for {@link #sendJson}; override to use another mapper.
   *
   * @param content the value to encode
   * @return the JSON text
   */
  protected String encodeJson(Object content) {
    return JsonSupport.encode(content);
  }
}
