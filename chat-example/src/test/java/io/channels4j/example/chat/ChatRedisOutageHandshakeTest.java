package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A handshake while Redis is down is answered 503 (the consumer cannot join its room's group), not 403:
 * the client is told to try again later rather than that it is forbidden.
 */
class ChatRedisOutageHandshakeTest {

  private RedisProcess redis;
  private ChatServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void handshakeDuringARedisOutageIsAnswered503() {
    redis = RedisProcess.startOrSkip();
    server = ChatServer.start(ChatOptions.parse(
        new String[] {"--port", "0", "--layer", "redis", "--redis-url", redis.uri()}, Map.of()));
    HttpClient http = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();
    String origin = "http://127.0.0.1:" + server.port();
    URI room = URI.create("ws://127.0.0.1:" + server.port() + "/ws/chat/lobby/");
    WsClient.connect(http, room, origin).close();

    redis.close();
    redis = null;

    assertThat(WsClient.refusedStatus(http, room, origin)).isEqualTo(503);
  }
}
