package io.channels4j.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A blocking WebSocket consumer that speaks JSON: text frames are decoded and passed to {@link
 * #receiveJson(JsonNode)}; {@link #sendJson(Object)} encodes with Jackson. Invalid JSON closes the
 * connection with 1007 and a reason; a binary frame closes it with 1003.
 */
public abstract class JsonWebsocketConsumer extends WebsocketConsumer {

  private static final Logger LOG = LoggerFactory.getLogger(JsonWebsocketConsumer.class);

  /** Creates a consumer. */
  protected JsonWebsocketConsumer() {}

  @Override
  public final void receive(String textData, byte[] bytesData) {
    if (textData == null) {
      LOG.info("{} on {}: binary frame where JSON text was expected; closing with 1003", getClass().getName(), scope().path());
      close(WebsocketSupport.UNSUPPORTED_DATA, JsonSupport.BINARY_REASON);
      return;
    }
    JsonNode content;
    try {
      content = decodeJson(textData);
    } catch (JsonProcessingException e) {
      String reason = JsonSupport.invalidReason(e);
      LOG.info("{} on {}: {}; closing with 1007", getClass().getName(), scope().path(), reason);
      close(WebsocketSupport.INVALID_PAYLOAD, reason);
      return;
    }
    receiveJson(content);
  }

  /** Called with each decoded JSON frame. */
  public void receiveJson(JsonNode content) {}

  /** Encodes {@code content} as JSON and sends it as a text frame. */
  public void sendJson(Object content) {
    send(encodeJson(content));
  }

  /** Decodes a text frame; override to use another mapper. */
  protected JsonNode decodeJson(String text) throws JsonProcessingException {
    return JsonSupport.decode(text);
  }

  /** Encodes content for {@link #sendJson}; override to use another mapper. */
  protected String encodeJson(Object content) {
    return JsonSupport.encode(content);
  }
}
