package io.channels4j.micrometer;

import static io.channels4j.routing.Routes.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayerUnavailableException;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.routing.URLRouter;
import io.channels4j.testing.HttpCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The meters driven by communicators and a real in-memory layer. */
class ChannelsMetersTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final ChannelsMeters meters = new ChannelsMeters(registry);

  /** Echoes text; closes with 4003 on "bye". */
  public static final class Echo extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> receive(String text, byte[] bytes) {
      return "bye".equals(text) ? close(4003) : send(text);
    }
  }

  /** Refuses every connection. */
  public static final class Refuse extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      return close();
    }
  }

  private final Application app = meters.instrument(URLRouter.of(
      path("ws/echo/", Echo::new), path("ws/refuse/", Refuse::new)));

  private double count(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private double open(String protocol) {
    return registry.get("channels.connections.open").tag("protocol", protocol).gauge().value();
  }

  @Test
  void aWebSocketIsCountedFromAcceptToItsCloseCode() {
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/echo/");
    assertThat(ws.connect(WAIT).accepted()).isTrue();
    assertThat(count("channels.connections.opened", "protocol", "websocket")).isEqualTo(1);
    assertThat(open("websocket")).isEqualTo(1);
    ws.sendTo("one");
    ws.sendTo("two");
    assertThat(ws.receiveFrom(WAIT)).isEqualTo("one");
    assertThat(ws.receiveFrom(WAIT)).isEqualTo("two");
    ws.disconnect(4001, WAIT);
    assertThat(count("channels.messages.in", "protocol", "websocket")).isEqualTo(2);
    assertThat(count("channels.messages.out", "protocol", "websocket")).isEqualTo(2);
    assertThat(count("channels.connections.closed", "protocol", "websocket", "code", "4001")).isEqualTo(1);
    assertThat(open("websocket")).isZero();
  }

  @Test
  void aCloseTheApplicationSendsIsTheCodeWhenTheConnectionEndsWithoutADisconnect() {
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/echo/");
    assertThat(ws.connect(WAIT).accepted()).isTrue();
    ws.sendTo("bye");
    assertThat(ws.receiveClose(WAIT).code()).isEqualTo(4003);
    ws.disconnect(4003, WAIT);
    assertThat(count("channels.connections.closed", "protocol", "websocket", "code", "4003")).isEqualTo(1);
    assertThat(registry.find("channels.connections.closed").counters()).hasSize(1);
  }

  @Test
  void aRefusedHandshakeIsNeitherOpenedNorClosed() {
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/refuse/");
    assertThat(ws.connect(WAIT).accepted()).isFalse();
    ws.disconnect(1006, WAIT);
    assertThat(count("channels.connections.opened", "protocol", "websocket")).isZero();
    assertThat(registry.find("channels.connections.closed").counters()).isEmpty();
    assertThat(open("websocket")).isZero();
  }

  @Test
  void anHttpRequestClosesWithItsStatus() {
    HttpCommunicator http = new HttpCommunicator(app, "GET", "/nowhere/");
    assertThat(http.getResponse(WAIT).status()).isEqualTo(404);
    http.await(WAIT);
    assertThat(count("channels.connections.opened", "protocol", "http")).isEqualTo(1);
    assertThat(count("channels.connections.closed", "protocol", "http", "code", "404")).isEqualTo(1);
    // the router answers 404 without reading the request body; the response body went out
    assertThat(count("channels.messages.out", "protocol", "http")).isEqualTo(1);
    assertThat(open("http")).isZero();
  }

  @Test
  void layerCallsAreTimedAndGroupSendsAndDeliveriesCounted() {
    ChannelLayer layer = meters.instrument(InMemoryChannelLayer.create());
    String channel = layer.newChannel().toCompletableFuture().join();
    layer.groupAdd("room", channel).toCompletableFuture().join();
    layer.groupSend("room", Message.of("room.say", "text", "hi")).toCompletableFuture().join();
    assertThat(layer.receive(channel).toCompletableFuture().join().getString("text")).isEqualTo("hi");
    assertThat(count("channels.group.sends", "layer", "InMemoryChannelLayer")).isEqualTo(1);
    assertThat(count("channels.deliveries", "layer", "InMemoryChannelLayer")).isEqualTo(1);
    assertThat(registry.get("channels.layer.operations")
        .tags("layer", "InMemoryChannelLayer", "operation", "group_send", "outcome", "success").timer().count())
        .isEqualTo(1);
    assertThat(registry.find("channels.layer.operations").tag("operation", "receive").timer()).isNull();
    layer.close();
  }

  @Test
  void failedCallsAreCountedByException() {
    ChannelLayer layer = meters.instrument(InMemoryChannelLayer.create());
    layer.close();
    assertThatThrownBy(() -> layer.send("c", Message.of("x")).toCompletableFuture().join())
        .hasCauseInstanceOf(ChannelLayerUnavailableException.class);
    assertThat(count("channels.layer.failures", "layer", "InMemoryChannelLayer", "operation", "send",
        "exception", "ChannelLayerUnavailableException")).isEqualTo(1);
    assertThat(registry.get("channels.layer.operations").tags("operation", "send", "outcome", "failure").timer()
        .count()).isEqualTo(1);
  }

  @Test
  void cancellingAMeteredReceiveWithdrawsItSoTheNextMessageIsNotLost() throws Exception {
    ChannelLayer layer = meters.instrument(InMemoryChannelLayer.create());
    String channel = layer.newChannel().toCompletableFuture().join();
    CompletableFuture<Message> abandoned = layer.receive(channel).toCompletableFuture();
    assertThat(abandoned.cancel(false)).isTrue();
    layer.send(channel, Message.of("m", "n", 1)).toCompletableFuture().join();
    assertThat(layer.receive(channel).toCompletableFuture().get(5, TimeUnit.SECONDS).getInt("n", 0)).isEqualTo(1);
    assertThat(count("channels.deliveries", "layer", "InMemoryChannelLayer")).isEqualTo(1);
    assertThat(registry.find("channels.layer.failures").counters()).isEmpty();
    layer.close();
  }

  @Test
  void serverEventsAreCounted() {
    meters.outboundOverflow(null);
    meters.inboxPaused(null);
    meters.inboxPaused(null);
    assertThat(count("channels.outbound.overflows")).isEqualTo(1);
    assertThat(count("channels.inbox.pauses")).isEqualTo(2);
  }
}
