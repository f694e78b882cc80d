package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.Scope;
import io.undertow.Handlers;
import io.undertow.Undertow;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MountAndOptionsTest {

  @Test
  void handlerMountedUnderAPathPrefixOfAUsersUndertow() throws Exception {
    BlockingQueue<Scope> scopes = new LinkedBlockingQueue<>();
    Application app = Apps.loop((scope, event, send) -> {
      if (event.type().equals("http.request")) {
        scopes.add(scope);
        send.send(Message.of("http.response.start", "status", 200));
        send.send(Message.of("http.response.body", "body", "mounted".getBytes(StandardCharsets.UTF_8)));
      } else if (event.type().equals("websocket.connect")) {
        send.send(Message.of("websocket.accept"));
      } else if (event.type().equals("websocket.receive")) {
        send.send(Message.of("websocket.send", "text", "echo " + event.getString("text")));
      }
      return true;
    });
    ChannelsHandler handler = ChannelsHandler.builder(app).rootPath("/api").build();
    Undertow undertow = Undertow.builder().addHttpListener(0, "127.0.0.1")
        .setHandler(Handlers.path(exchange -> exchange.setStatusCode(404)).addPrefixPath("/api", handler)).build();
    undertow.start();
    try {
      int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/items/1")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("mounted");
      Scope s = scopes.poll(5, TimeUnit.SECONDS);
      assertThat(s.path()).isEqualTo("/api/items/1");
      assertThat(s.rootPath()).isEqualTo("/api");
      WsRecorder ws = WsRecorder.open("ws://127.0.0.1:" + port + "/api/ws/");
      ws.send("hi");
      assertThat(ws.nextText()).isEqualTo("echo hi");
      ws.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
      assertThat(handler.shutdown(Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS)).isNull();
    } finally {
      undertow.stop();
    }
  }

  @Test
  void buildersRejectBadValuesNamingThem() {
    Application app = (scope, receive, send) -> Application.done();
    assertThatThrownBy(() -> ChannelsHandler.builder(app).rootPath("api/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'api/'");
    assertThatThrownBy(() -> ChannelsHandler.builder(app).maxMessageSize(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxMessageSize must be positive, got 0");
    assertThatThrownBy(() -> ChannelsHandler.builder(app).pingInterval(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pingInterval must not be negative");
    assertThatThrownBy(() -> ChannelsHandler.builder(app).trustedProxies("proxy.example.com"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'proxy.example.com'");
    assertThatThrownBy(() -> ChannelsServer.builder(app).port(70000))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("port must be 0-65535, got 70000");
    assertThatThrownBy(() -> ChannelsServer.builder(app).build().port())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void portZeroBindsAnEphemeralPortAndStartTwiceFails() {
    Application app = (scope, receive, send) -> Application.done();
    try (ChannelsServer server = ChannelsServer.builder(app).port(0).build().start()) {
      assertThat(server.port()).isPositive();
      assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(String.valueOf(server.port()));
    }
  }
}
