package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import io.channels4j.Application;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.redis.RedisChannelLayer;
import io.channels4j.testing.ChannelsLiveServer;
import io.channels4j.testing.LiveServer;
import io.channels4j.testing.LiveServerSetup;
import io.channels4j.testing.UseLayer;
import io.channels4j.undertow.ChannelsServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chat app on a real Undertow server on an ephemeral port (channels-test's live server extension, a
 * fresh in-memory layer per test), with real java.net.http clients. {@code -Dchannels.test.layer=redis}
 * runs it on Redis.
 */
@ChannelsLiveServer(ChatLiveTest.Chat.class)
class ChatLiveTest {

  /** The chat application as {@code ChatServer} configures it, with the default options. */
  static final class Chat implements LiveServerSetup {
    private final ChatOptions options = ChatOptions.parse(new String[] {"--port", "0"}, Map.of());

    @Override
    public Application application() {
      return ChatApplication.create(options.allowedHosts());
    }

    @Override
    public void configure(ChannelsServer.Builder builder) {
      builder.maxMessageSize(ChatServer.MAX_MESSAGE_BYTES).allowedHosts(options.allowedHosts().toArray(String[]::new));
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration QUIET = Duration.ofMillis(300);
  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();

  private LiveServer server;
  private String origin;
  private final List<WsClient> clients = new ArrayList<>();

  @BeforeEach
  void useServer(LiveServer live) {
    server = live;
    origin = live.origin();
  }

  @AfterEach
  void closeClients() {
    clients.forEach(WsClient::close);
  }

  private static String encode(String room) {
    return URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private URI uri(String scheme, String rawPath) {
    return scheme.equals("ws") ? server.wsUri(rawPath) : server.httpUri(rawPath);
  }

  private WsClient join(String room) {
    WsClient c = WsClient.connect(http, uri("ws", "/ws/chat/" + encode(room) + "/"), origin);
    clients.add(c);
    return c;
  }

  private static String say(String message) {
    try {
      return JSON.writeValueAsString(Map.of("message", message));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static String messageOf(WsClient c) {
    JsonNode reply = json(c.nextText());
    assertThat(reply.has("message")).as("reply %s", reply).isTrue();
    return reply.get("message").asText();
  }

  private HttpResponse<String> get(String rawPath) throws Exception {
    return http.send(HttpRequest.newBuilder(uri("http", rawPath)).timeout(WsClient.TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  @Test
  void pagesAreServed() throws Exception {
    HttpResponse<String> index = get("/chat/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
    assertThat(index.body()).contains("id=\"room-name-input\"", "id=\"room-name-submit\"");

    HttpResponse<String> room = get("/chat/lobby/");
    assertThat(room.statusCode()).isEqualTo(200);
    assertThat(room.body()).contains("id=\"chat-log\"", "id=\"chat-message-input\"", "id=\"chat-message-submit\"",
        ">\"lobby\"</script>");

    HttpResponse<String> unicode = get("/chat/" + encode("聊天室 1") + "/");
    assertThat(unicode.statusCode()).isEqualTo(200);
    assertThat(unicode.body()).contains(">\"聊天室 1\"</script>");

    assertThat(get("/").statusCode()).isEqualTo(200);
    assertThat(get("/nowhere/").statusCode()).isEqualTo(404);
    HttpResponse<String> noSlash = get("/chat/lobby");
    assertThat(noSlash.statusCode()).isEqualTo(301);
    assertThat(noSlash.headers().firstValue("location")).contains("/chat/lobby/");
  }

  @Test
  void broadcastReachesTheRoomOnly() {
    WsClient alice = join("lobby");
    WsClient bob = join("lobby");
    WsClient carol = join("elsewhere");

    alice.sendText(say("hello"));
    assertThat(messageOf(alice)).isEqualTo("hello");
    assertThat(messageOf(bob)).isEqualTo("hello");
    assertThat(carol.nothingWithin(QUIET)).isTrue();
  }

  @Test
  void unicodeSpacedAndSlashedRoomsWork() {
    for (String room : List.of("聊天室", "two words", "a/b", "émoji 🎉?#&")) {
      WsClient a = join(room);
      WsClient b = join(room);
      a.sendText(say("in " + room));
      assertThat(messageOf(a)).isEqualTo("in " + room);
      assertThat(messageOf(b)).isEqualTo("in " + room);
    }
  }

  @Test
  void invalidJsonClosesWith1007() {
    WsClient bad = join("lobby");
    WsClient peer = join("lobby");
    bad.sendText("{not json");
    WsClient.Event close = bad.nextClose();
    assertThat(close.closeCode).isEqualTo(1007);
    peer.sendText(say("room goes on"));
    assertThat(messageOf(peer)).isEqualTo("room goes on");
  }

  @Test
  void jsonWithoutAStringMessageGetsAnErrorReply() {
    WsClient c = join("lobby");
    c.sendText("{\"message\": 5}");
    assertThat(json(c.nextText()).get("error").asText()).isEqualTo(ChatConsumer.BAD_MESSAGE_ERROR);
    c.sendText("{\"text\": \"hi\"}");
    assertThat(json(c.nextText()).get("error").asText()).isEqualTo(ChatConsumer.BAD_MESSAGE_ERROR);
    c.sendText(say("still open"));
    assertThat(messageOf(c)).isEqualTo("still open");
  }

  @Test
  void aBinaryFrameClosesWith1003() {
    WsClient c = join("lobby");
    c.sendBinary(new byte[] {0, 1, 2});
    assertThat(c.nextClose().closeCode).isEqualTo(1003);
  }

  @Test
  void aFrameOverOneMebibyteClosesWith1009AndOneAtTheLimitIsDelivered() {
    WsClient big = join("lobby");
    WsClient peer = join("lobby");
    int limit = ChatServer.MAX_MESSAGE_BYTES;
    String atLimit = say("x".repeat(limit - say("").length()));
    assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(limit);
    big.sendText(atLimit);
    assertThat(messageOf(peer)).hasSize(limit - say("").length());
    assertThat(messageOf(big)).hasSize(limit - say("").length());

    big.sendText("x".repeat(limit + 1));
    assertThat(big.nextClose().closeCode).isEqualTo(1009);
    peer.sendText(say("after the big one"));
    assertThat(messageOf(peer)).isEqualTo("after the big one");
  }

  @Test
  void aForeignOrMissingOriginIsRefusedWith403() {
    URI lobby = uri("ws", "/ws/chat/lobby/");
    assertThat(WsClient.refusedStatus(http, lobby, "http://evil.example")).isEqualTo(403);
    assertThat(WsClient.refusedStatus(http, lobby, null)).isEqualTo(403);
    WsClient ok = WsClient.connect(http, lobby, "http://localhost:" + server.port());
    clients.add(ok);
  }

  @Test
  @UseLayer(ChannelsLiveServer.Layer.REDIS)
  void aRoomWorksOnTheRedisLayerToo(ChannelLayer layer) {
    assertThat(layer).isInstanceOf(RedisChannelLayer.class);
    WsClient alice = join("lobby");
    WsClient bob = join("lobby");
    alice.sendText(say("over redis"));
    assertThat(messageOf(alice)).isEqualTo("over redis");
    assertThat(messageOf(bob)).isEqualTo("over redis");
  }
}
