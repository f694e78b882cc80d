package io.channels4j.routing;

import static io.channels4j.routing.Routes.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.Scope;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.testing.ApplicationCommunicator;
import io.channels4j.testing.HttpCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** ProtocolTypeRouter and ChannelNameRouter, as an application's top level uses them. */
class ProtocolAndChannelNameRouterTest {

  /** A worker-side consumer: answers each {@code task.run} on the scope's reply channel. */
  public static class TaskConsumer extends AsyncConsumer {
    private final String name;

    public TaskConsumer() {
      this("tasks");
    }

    TaskConsumer(String name) {
      this.name = name;
    }

    public CompletionStage<Void> taskRun(Message m) {
      return send(Message.of("task.done", "by", name, "channel", scope().channel().orElse("?"), "id", m.getString("id")));
    }
  }

  private static Application plainText(String text) {
    return (scope, receive, send) ->
        send.send(Message.of("http.response.start", "status", 200, "headers", java.util.List.of()))
            .thenCompose(v -> send.send(Message.of("http.response.body", "body", text.getBytes())));
  }

  private final Application application =
      ProtocolTypeRouter.builder()
          .http(URLRouter.of(path("hello/", plainText("hello over http"))))
          .websocket(URLRouter.of(path("ws/<str:room>/", RouteEchoConsumer::new)))
          .channel(
              ChannelNameRouter.of(
                  Map.of(
                      "thumbnails", AsyncConsumer.asApplication(() -> new TaskConsumer("thumbnails")),
                      "emails", AsyncConsumer.asApplication(() -> new TaskConsumer("emails")))))
          .build();

  @Test
  void dispatchesOnScopeType() {
    HttpCommunicator http = new HttpCommunicator(application, "GET", "/hello/");
    assertThat(http.getResponse().bodyText()).isEqualTo("hello over http");

    WebsocketCommunicator ws = new WebsocketCommunicator(application, "/ws/lobby/");
    assertThat(ws.connect().accepted()).isTrue();
    assertThat(ws.receiveJsonFrom().get("kwargs").get("room").asText()).isEqualTo("lobby");
    ws.disconnect();
  }

  @Test
  void channelScopesGoToTheApplicationForTheirChannelName() {
    for (String channel : new String[] {"thumbnails", "emails"}) {
      ApplicationCommunicator worker =
          new ApplicationCommunicator(application, Scope.builder(Scope.CHANNEL).channel(channel).build());
      worker.sendInput(Message.of("task.run", "id", "t1"));
      Message done = worker.receiveOutput();
      assertThat(done.getString("by")).isEqualTo(channel);
      assertThat(done.getString("channel")).isEqualTo(channel);
      assertThat(done.getString("id")).isEqualTo("t1");
      worker.stop();
    }
  }

  @Test
  void unknownScopeTypeFailsNamingItAndTheConfiguredTypes() {
    ApplicationCommunicator c = new ApplicationCommunicator(application, Scope.builder("lifespan").build());
    assertThatThrownBy(c::await)
        .cause()
        .isInstanceOf(NoRouteException.class)
        .hasMessage("No application configured for scope type 'lifespan'; configured types: [channel, http, websocket]");
  }

  @Test
  void unknownOrMissingChannelNameFails() {
    ApplicationCommunicator unknown =
        new ApplicationCommunicator(application, Scope.builder(Scope.CHANNEL).channel("nope").build());
    assertThatThrownBy(unknown::await)
        .cause()
        .isInstanceOf(NoRouteException.class)
        .hasMessage("No application configured for channel name 'nope'; configured channels: [emails, thumbnails]");

    Application router = ChannelNameRouter.of(Map.of("a", plainText("a")));
    ApplicationCommunicator missing = new ApplicationCommunicator(router, Scope.builder(Scope.CHANNEL).build());
    assertThatThrownBy(missing::await)
        .cause()
        .isInstanceOf(NoRouteException.class)
        .hasMessageContaining("ChannelNameRouter got a 'channel' scope without a 'channel' key");
  }

  @Test
  void ofTakesAMapLikeChannels() {
    Application router =
        ProtocolTypeRouter.of(Map.of("http", plainText("from map"), "custom", plainText("custom type")));
    assertThat(new HttpCommunicator(router, "GET", "/").getResponse().bodyText()).isEqualTo("from map");
    ApplicationCommunicator custom = new ApplicationCommunicator(router, Scope.builder("custom").build());
    assertThat(custom.receiveOutput().type()).isEqualTo("http.response.start");
  }

  @Test
  void configurationMistakesFailWhenBuilt() {
    Application app = plainText("x");
    assertThatThrownBy(() -> ProtocolTypeRouter.builder().http(app).http(app))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scope type 'http' is already configured");
    assertThatThrownBy(() -> ProtocolTypeRouter.builder().build())
        .hasMessageContaining("needs at least one scope type");
    assertThatThrownBy(() -> ChannelNameRouter.of(Map.of())).hasMessageContaining("needs at least one channel name");
    assertThatThrownBy(() -> ProtocolTypeRouter.builder().websocket(null)).isInstanceOf(NullPointerException.class);
  }
}
