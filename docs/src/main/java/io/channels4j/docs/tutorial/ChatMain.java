package io.channels4j.docs.tutorial;

// tag::main[]
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.undertow.ChannelsServer;
import java.util.List;

/** Runs the chat: {@code java ... io.channels4j.docs.tutorial.ChatMain [port]}, then open /chat/. */
public final class ChatMain {

  private ChatMain() {}

  /**
   * Starts the server and serves until the process is stopped.
   *
   * @param args an optional port (default 8000)
   * @throws InterruptedException if interrupted while serving
   */
  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8000;
    try (ChannelsServer server = start(port)) {
      System.out.println("Chat at http://127.0.0.1:" + server.port() + "/chat/");
      Thread.currentThread().join();
    }
  }

  /**
   * Installs the default channel layer and starts the server.
   *
   * @param port the port, 0 for any free one
   * @return the running server
   */
  public static ChannelsServer start(int port) {
    ChannelLayers.set(ChannelLayers.DEFAULT, InMemoryChannelLayer.create());
    return ChannelsServer.builder(ChatApp.application(AsyncChatConsumer::new, List.of("127.0.0.1", "localhost")))
        .host("127.0.0.1")
        .port(port)
        .build()
        .start();
  }
}
// end::main[]
