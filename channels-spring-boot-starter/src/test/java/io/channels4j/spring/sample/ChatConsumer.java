package io.channels4j.spring.sample;

import com.fasterxml.jackson.databind.JsonNode;
import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncJsonWebsocketConsumer;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.stereotype.Component;

/**
 * The tutorial's chat consumer as a Spring bean: prototype-scoped (one per connection), with a {@link
 * Greeter} injected through its constructor. Joins {@code chat_<room>} on connect, sends what the client
 * says to the group, and writes every group message to the client.
 */
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public class ChatConsumer extends AsyncJsonWebsocketConsumer {

  private final Greeter greeter;
  private String room;
  private String group;

  /** Creates the consumer of one connection. */
  public ChatConsumer(Greeter greeter) {
    this.greeter = greeter;
  }

  @Override
  public CompletionStage<Void> connect() {
    room = scope().urlRoute().kwarg("room_name").orElseThrow();
    group = "chat_" + room;
    return channelLayer().groupAdd(group, channelName()).thenCompose(v -> accept());
  }

  @Override
  public CompletionStage<Void> disconnect(int code) {
    return group == null ? Application.done() : channelLayer().groupDiscard(group, channelName());
  }

  @Override
  public CompletionStage<Void> receiveJson(JsonNode content) {
    return channelLayer().groupSend(group, Message.of("chat.message", "message", content.path("message").asText()));
  }

  /** A group message: out to the client, labelled by the greeter. */
  public CompletionStage<Void> chatMessage(Message event) {
    return sendJson(Map.of("message", greeter.line(room, String.valueOf(event.get("message")))));
  }
}
