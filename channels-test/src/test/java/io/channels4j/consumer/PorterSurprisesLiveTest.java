package io.channels4j.consumer;

import static io.channels4j.routing.Routes.path;
import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.ChannelsException;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.middleware.OriginValidator;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.routing.ProtocolTypeRouter;
import io.channels4j.routing.URLRouter;
import io.channels4j.testing.ChannelsLiveServer;
import io.channels4j.testing.LiveServer;
import io.channels4j.testing.LiveServerSetup;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What a porter from Channels expects, checked through the real server: the handshake status of a
 * failing, denying or accepting {@code connect()}, the public denier, the scope's ASGI keys, and the docs'
 * long-poll {@code AsyncHttpConsumer} answered by a group message.
 */
@ChannelsLiveServer(PorterSurprisesLiveTest.Setup.class)
class PorterSurprisesLiveTest {

  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** connect() throws an unexpected exception. */
  public static final class Boom extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      throw new IllegalStateException("connect failed on purpose");
    }
  }

  /** The same in a sync consumer. */
  public static final class SyncBoom extends WebsocketConsumer {
    @Override
    public void connect() {
      throw new IllegalStateException("connect failed on purpose");
    }
  }

  /** connect() denies with Channels' exception. */
  public static final class Deny extends WebsocketConsumer {
    @Override
    public void connect() {
      throw new ChannelsException.DenyConnection();
    }
  }

  /** connect() accepts with Channels' exception, then echoes the scope's ASGI keys. */
  public static final class AcceptAndTell extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      return CompletableFuture.failedFuture(new ChannelsException.AcceptConnection());
    }

    @Override
    public CompletionStage<Void> receive(String text, byte[] bytes) {
      return send(scope().specVersion() + " " + new TreeSet<>(scope().extensions().keySet()), true);
    }
  }

  /** The Channels docs' long poll: handle() joins a group and starts the response; the group message ends it. */
  public static final class LongPoll extends AsyncHttpConsumer {
    @Override
    public CompletionStage<Void> handle(byte[] body) {
      return channelLayer().groupAdd("poll", channelName())
          .thenCompose(v -> sendHeaders(200, List.of(Header.of("content-type", "application/json"))))
          .thenCompose(v -> sendBody(new byte[0], true));
    }

    /** Handles {@code chat.message}: sends it and finishes the response. */
    public CompletionStage<Void> chatMessage(Message event) {
      return sendBody(("{\"text\":\"" + event.getString("text") + "\"}").getBytes(StandardCharsets.UTF_8), false);
    }

    @Override
    public CompletionStage<Void> disconnect() {
      return channelLayer().groupDiscard("poll", channelName());
    }
  }

  /** Tells its scope's spec version over HTTP. */
  public static final class SpecOverHttp extends AsyncHttpConsumer {
    @Override
    public CompletionStage<Void> handle(byte[] body) {
      return sendResponse(200, scope().specVersion().getBytes(StandardCharsets.UTF_8), List.of());
    }
  }

  public static final class Setup implements LiveServerSetup {
    @Override
    public Application application() {
      return ProtocolTypeRouter.builder()
          .websocket(URLRouter.of(
              path("ws/boom/", Boom::new),
              path("ws/sync-boom/", SyncBoom::new),
              path("ws/deny/", Deny::new),
              path("ws/accept/", AcceptAndTell::new),
              path("ws/closed/", new OriginValidator.WebsocketDenier())))
          .http(URLRouter.of(path("poll/", LongPoll::new), path("spec/", SpecOverHttp::new)))
          .build();
    }
  }

  /** The HTTP status the server answers a WebSocket handshake on {@code path} with; fails if it upgrades. */
  private static int handshakeStatus(LiveServer server, String path) {
    Throwable e = CLIENT.newWebSocketBuilder()
        .buildAsync(server.wsUri(path), new WebSocket.Listener() {})
        .handle((ws, t) -> t)
        .orTimeout(5, TimeUnit.SECONDS)
        .join();
    while (e instanceof CompletionException && e.getCause() != null) {
      e = e.getCause();
    }
    assertThat(e).as("handshake on %s", path).isInstanceOf(WebSocketHandshakeException.class);
    return ((WebSocketHandshakeException) e).getResponse().statusCode();
  }

  @Test
  void anExceptionInConnectAnswersTheHandshakeWith500AsDaphneDoes(LiveServer server) {
    assertThat(handshakeStatus(server, "/ws/boom/")).isEqualTo(500);
    assertThat(handshakeStatus(server, "/ws/sync-boom/")).isEqualTo(500);
  }

  @Test
  void denyConnectionAndTheDenierAnswer403LikeAnExplicitClose(LiveServer server) {
    assertThat(handshakeStatus(server, "/ws/deny/")).isEqualTo(403);
    assertThat(handshakeStatus(server, "/ws/closed/")).isEqualTo(403);
  }

  @Test
  void acceptConnectionAcceptsAndTheScopeCarriesSpecVersionAndExtensions(LiveServer server) throws Exception {
    CompletableFuture<String> text = new CompletableFuture<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    WebSocket ws = CLIENT.newWebSocketBuilder()
        .buildAsync(server.wsUri("/ws/accept/"), new WebSocket.Listener() {
          @Override
          public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.complete(data.toString());
            webSocket.request(1);
            return null;
          }

          @Override
          public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
          }
        })
        .get(5, TimeUnit.SECONDS);
    ws.sendText("tell", true);
    assertThat(text.get(5, TimeUnit.SECONDS)).isEqualTo("2.4 [websocket.http.response]");
    // send(text, close = true) closes after the frame, with 1000
    assertThat(closed.get(5, TimeUnit.SECONDS)).isEqualTo(1000);
  }

  @Test
  void theDocsLongPollIsAnsweredByAGroupMessage(LiveServer server, ChannelLayer layer) throws Exception {
    CompletableFuture<HttpResponse<String>> poll =
        CLIENT.sendAsync(HttpRequest.newBuilder(server.httpUri("/poll/")).build(), HttpResponse.BodyHandlers.ofString());
    // the poll is waiting once the consumer has joined the group: then the message reaches it
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
      layer.groupSend("poll", Message.of("chat.message", "text", "hello")).toCompletableFuture().join();
      return poll.isDone();
    });
    HttpResponse<String> response = poll.get(5, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.body()).isEqualTo("{\"text\":\"hello\"}");
  }

  @Test
  void anHttpScopeSaysSpecVersion23(LiveServer server) throws Exception {
    HttpResponse<String> response = CLIENT.send(
        HttpRequest.newBuilder(server.httpUri("/spec/")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("2.3");
  }
}
