package io.channels4j.undertow;

import static io.channels4j.routing.Routes.path;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.routing.URLRouter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * The Channels tutorial chat (async consumer, in-memory layer) on {@link ChannelsServer}, for {@code
 * benchmarks/load/compare.sh}: {@code ws://127.0.0.1:PORT/ws/chat/<room>/}, JSON {@code {"message": ...}}.
 *
 * <p>Run: {@code java -cp <test classpath> io.channels4j.undertow.LoadChatServer --port 8000 [--io-threads 2]}
 */
public final class LoadChatServer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LoadChatServer() {}

  /** The tutorial's async chat consumer. */
  public static final class ChatConsumer extends AsyncWebsocketConsumer {
    private String roomGroupName;

    @Override
    public CompletionStage<Void> connect() {
      roomGroupName = "chat_" + scope().urlRoute().kwarg("room_name").orElseThrow();
      return channelLayer().groupAdd(roomGroupName, channelName()).thenCompose(v -> accept());
    }

    @Override
    public CompletionStage<Void> disconnect(int code) {
      return channelLayer().groupDiscard(roomGroupName, channelName());
    }

    @Override
    public CompletionStage<Void> receive(String textData, byte[] bytesData) {
      String message;
      try {
        message = JSON.readTree(textData).get("message").asText();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return channelLayer().groupSend(roomGroupName, Message.of("chat.message", "message", message));
    }

    public CompletionStage<Void> chatMessage(Message event) {
      try {
        return send(JSON.writeValueAsString(Map.of("message", event.getString("message"))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Starts the server and blocks until killed. */
  public static void main(String[] args) throws InterruptedException {
    System.setProperty("org.slf4j.simpleLogger.log.io.channels4j.undertow.access", "warn");
    int port = 8000;
    int ioThreads = 2;
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (args[i].equals("--port")) {
        port = Integer.parseInt(args[i + 1]);
      } else if (args[i].equals("--io-threads")) {
        ioThreads = Integer.parseInt(args[i + 1]);
      }
    }
    ChannelLayers.set(ChannelLayers.DEFAULT, InMemoryChannelLayer.create());
    ChannelsServer server = ChannelsServer.builder(URLRouter.of(path("ws/chat/<str:room_name>/", ChatConsumer::new)))
        .port(port).ioThreads(ioThreads).maxConnectionsPerAddress(100_000) // the load client is one address
        .build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
    new CountDownLatch(1).await();
  }
}
