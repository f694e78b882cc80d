package io.channels4j.undertow;

import static io.channels4j.routing.Routes.path;
import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.Scope;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import io.channels4j.routing.URLRouter;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.Inflater;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerFeaturesTest {

  static final BlockingQueue<Message> EVENTS = new LinkedBlockingQueue<>();
  ChannelsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
    ChannelLayers.remove(ChannelLayers.DEFAULT);
    EVENTS.clear();
  }

  /** A chat room on the channel layer: every text frame goes to everyone in the room. */
  public static final class Room extends AsyncWebsocketConsumer {
    private String group;

    @Override
    public CompletionStage<Void> connect() {
      group = "room_" + scope().urlRoute().kwarg("room").orElseThrow();
      return channelLayer().groupAdd(group, channelName()).thenCompose(v -> accept());
    }

    @Override
    public CompletionStage<Void> receive(String text, byte[] bytes) {
      return channelLayer().groupSend(group, Message.of("chat.message", "text", text));
    }

    public CompletionStage<Void> chatMessage(Message event) {
      return send(event.getString("text"));
    }

    @Override
    public CompletionStage<Void> disconnect(int code) {
      EVENTS.add(Message.of("test.disconnect", "code", code));
      return channelLayer().groupDiscard(group, channelName());
    }
  }

  @Test
  void aClientThatStopsReadingDoesNotStallItsRoom() throws Exception {
    ChannelLayers.set(ChannelLayers.DEFAULT, InMemoryChannelLayer.builder().capacity(1000).build());
    Application app = URLRouter.of(path("ws/room/<str:room>/", Room::new));
    server = ChannelsServer.builder(app).port(0).maxOutboundBytes(64 * 1024).sendBufferSize(16 * 1024)
        .closeTimeout(Duration.ofMillis(500))
        .shutdownTimeout(Duration.ofSeconds(2)).build().start();
    String uri = "ws://127.0.0.1:" + server.port() + "/ws/room/lobby/";
    // the stalled client: handshake done (so it is in the group), then it never reads
    RawWebSocket stalled = RawWebSocket.connect(server.port(), "/ws/room/lobby/", 4096);
    assertThat(stalled.status).isEqualTo(101);
    List<WsRecorder> clients = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      clients.add(WsRecorder.open(uri));
    }
    int messages = 100;
    String pad = "x".repeat(4000);
    long t0 = System.nanoTime();
    // paced like a chat (the next message goes out when a probe client has the previous one), so
    // readers never fall behind while the stalled client's backlog grows past the limit
    WsRecorder probe = clients.get(0);
    for (int i = 0; i < messages; i++) {
      clients.get(1 + i % 49).socket.sendText(i + ":" + pad, true);
      assertThat(prefix(probe.nextText())).isEqualTo(i + ":");
    }
    // concurrent group sends from different consumers may interleave, so compare as sets
    java.util.Set<String> expected = new java.util.HashSet<>();
    for (int i = 0; i < messages; i++) {
      expected.add(i + ":");
    }
    for (WsRecorder c : clients.subList(1, 50)) {
      java.util.Set<String> got = new java.util.HashSet<>();
      for (int i = 0; i < messages; i++) {
        got.add(prefix(c.nextText()));
      }
      assertThat(got).isEqualTo(expected);
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(millis).as("50 clients x 100 broadcasts of 4 KB despite one stalled client").isLessThan(30_000);
    // the stalled client was cut off (1008; it never answers the close, so its consumer sees 1006)
    assertThat(EVENTS.poll(10, TimeUnit.SECONDS)).isNotNull().satisfies(m -> assertThat(m.getInt("code", -1))
        .isEqualTo(1006));
    // the count drops when the stalled client's application has returned, just after its disconnect event
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (server.handler().activeConnections() != 50 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(server.handler().activeConnections()).isEqualTo(50);
    stalled.close();
  }

  @Test
  void dropOldestKeepsTheSlowClientConnected() throws Exception {
    Application app = Apps.loop((scope, event, send) -> {
      if (event.type().equals("websocket.connect")) {
        send.send(Message.of("websocket.accept"));
      } else if (event.type().equals("websocket.receive")) {
        for (int i = 0; i < 2000; i++) {
          send.send(Message.of("websocket.send", "text", i + ":" + "y".repeat(1000)));
        }
        send.send(Message.of("websocket.send", "text", "last"));
      } else {
        EVENTS.add(event);
      }
      return true;
    });
    server = ChannelsServer.builder(app).port(0).maxOutboundBytes(32 * 1024)
        .overflowPolicy(ChannelsHandler.OverflowPolicy.DROP_OLDEST).shutdownTimeout(Duration.ofSeconds(2)).build()
        .start();
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws/", 4096)) {
      raw.sendText("go");
      int received = 0;
      String text;
      do {
        RawWebSocket.Frame f = raw.readDataOrClose();
        assertThat(f.opcode()).as("a text frame, not a close").isEqualTo(1);
        text = f.text();
        received++;
      } while (!text.equals("last"));
      assertThat(received).as("some frames were dropped, the newest arrived").isLessThan(2001).isGreaterThan(1);
    }
  }

  @Test
  void tlsServesHttpsAndWss(@TempDir Path dir) throws Exception {
    Path store = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "test", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
        "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String out = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(out).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    BlockingQueue<Scope> scopes = new LinkedBlockingQueue<>();
    Application app = Apps.loop((scope, event, send) -> {
      // One scope per connection: http.disconnect arrives after the response and must not race clear().
      if (event.type().equals("websocket.connect") || event.type().equals("http.request")) {
        scopes.add(scope);
      }
      if (event.type().equals("websocket.connect")) {
        send.send(Message.of("websocket.accept"));
      } else if (event.type().equals("websocket.receive")) {
        send.send(Message.of("websocket.send", "text", "secure " + event.getString("text")));
      } else if (event.type().equals("http.request")) {
        send.send(Message.of("http.response.start", "status", 200));
        send.send(Message.of("http.response.body", "body", "hello tls".getBytes(StandardCharsets.UTF_8)));
      }
      return true;
    });
    server = ChannelsServer.builder(app).port(0).tls(ks, "changeit".toCharArray())
        .shutdownTimeout(Duration.ofSeconds(2)).build().start();
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    HttpClient client = HttpClient.newBuilder().sslContext(ctx).build();
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/x"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("hello tls");
    assertThat(scopes.poll(5, TimeUnit.SECONDS).scheme()).isEqualTo("https");
    scopes.clear();
    WsRecorder ws = WsRecorder.open(client, "wss://127.0.0.1:" + server.port() + "/ws/");
    ws.send("hi");
    assertThat(ws.nextText()).isEqualTo("secure hi");
    assertThat(scopes.poll(5, TimeUnit.SECONDS).scheme()).isEqualTo("wss");
  }

  static String prefix(String text) {
    return text.substring(0, text.indexOf(':') + 1);
  }

  static Application scopeRecorder(BlockingQueue<Scope> scopes) {
    return Apps.loop((scope, event, send) -> {
      if (event.type().equals("http.request")) {
        scopes.add(scope);
        send.send(Message.of("http.response.start", "status", 204));
        send.send(Message.of("http.response.body"));
      }
      return true;
    });
  }

  static HttpResponse<String> forwarded(int port) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/p"))
        .header("X-Forwarded-For", "203.0.113.7, 10.0.0.1").header("X-Forwarded-Port", "4711")
        .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "example.com").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void proxyHeadersOnlyFromTrustedProxies() throws Exception {
    BlockingQueue<Scope> scopes = new LinkedBlockingQueue<>();
    server = ChannelsServer.builder(scopeRecorder(scopes)).port(0).trustedProxies("127.0.0.1").build().start();
    assertThat(forwarded(server.port()).statusCode()).isEqualTo(204);
    Scope s = scopes.poll(5, TimeUnit.SECONDS);
    assertThat(s.client().orElseThrow().getHostString()).isEqualTo("203.0.113.7");
    assertThat(s.client().orElseThrow().getPort()).isEqualTo(4711);
    assertThat(s.scheme()).isEqualTo("https");
    assertThat(s.server().orElseThrow().getHostString()).isEqualTo("example.com");
    assertThat(s.server().orElseThrow().getPort()).isEqualTo(443);
    server.stop();

    server = ChannelsServer.builder(scopeRecorder(scopes)).port(0).trustedProxies("192.0.2.1").build().start();
    assertThat(forwarded(server.port()).statusCode()).isEqualTo(204);
    Scope untrusted = scopes.poll(5, TimeUnit.SECONDS);
    assertThat(untrusted.client().orElseThrow().getAddress().isLoopbackAddress()).isTrue();
    assertThat(untrusted.scheme()).isEqualTo("http");
    assertThat(untrusted.server().orElseThrow().getPort()).isEqualTo(server.port());
  }

  @Test
  void perMessageDeflateIsNegotiatedAndUsed() throws Exception {
    Application echo = Apps.loop((scope, event, send) -> {
      if (event.type().equals("websocket.connect")) {
        send.send(Message.of("websocket.accept", "headers", Header.toMessageValue(List.of())));
      } else if (event.type().equals("websocket.receive")) {
        send.send(Message.of("websocket.send", "text", event.getString("text")));
      }
      return true;
    });
    server = ChannelsServer.builder(echo).port(0).perMessageDeflate(true).build().start();
    String text = "compress me ".repeat(50);
    try (RawWebSocket raw = RawWebSocket.connect(server.port(), "/ws/", 0,
        "Sec-WebSocket-Extensions: permessage-deflate")) {
      assertThat(raw.status).isEqualTo(101);
      assertThat(raw.headers.get("sec-websocket-extensions")).startsWith("permessage-deflate");
      raw.sendText(text);
      RawWebSocket.Frame f = raw.readDataOrClose();
      assertThat(f.compressed()).isTrue();
      assertThat(f.payload().length).isLessThan(text.length());
      Inflater inflater = new Inflater(true);
      byte[] in = f.payload();
      byte[] withTail = java.util.Arrays.copyOf(in, in.length + 4);
      withTail[in.length + 2] = (byte) 0xff;
      withTail[in.length + 3] = (byte) 0xff;
      inflater.setInput(withTail);
      ByteArrayOutputStream plain = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      int n;
      while ((n = inflater.inflate(buf)) > 0) {
        plain.write(buf, 0, n);
      }
      assertThat(plain.toString(StandardCharsets.UTF_8)).isEqualTo(text);
    }
    try (RawWebSocket plain = RawWebSocket.connect(server.port(), "/ws/", 0)) {
      assertThat(plain.headers).doesNotContainKey("sec-websocket-extensions");
    }
  }
}
