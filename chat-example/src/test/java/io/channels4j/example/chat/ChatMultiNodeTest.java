package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two chat servers on one real redis-server: one in this JVM, one started as its own process through
 * {@link ChatServerMain} (so they share nothing but Redis). Clients on different nodes in one room see
 * each other's messages; a room on one node stays separate from other rooms on the other; a room mixing a
 * WebSocket on one node with an event stream and a long-poll client on the other sees every message
 * once, in order, from one history shared through Redis.
 */
class ChatMultiNodeTest {

  private static final Pattern OPEN_URL = Pattern.compile("Open (http://\\S+) in a browser");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static RedisProcess redis;
  private static ChatServer nodeA;
  private static Process nodeB;
  private static int nodeBPort;
  private static final StringBuilder nodeBLog = new StringBuilder();
  private static HttpClient http;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisProcess.startOrSkip();
    nodeB = startNode(redis.uri());
    nodeA = ChatServer.start(ChatOptions.parse(
        new String[] {"--port", "0", "--layer", "redis", "--redis-url", redis.uri()}, Map.of()));
    http = HttpClient.newBuilder().connectTimeout(WsClient.TIMEOUT).build();
  }

  /** Starts {@code java ChatServerMain} on a free port and waits for the URL it logs. */
  private static Process startNode(String redisUri) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        ChatServerMain.class.getName(), "--port", "0", "--layer", "redis", "--redis-url", redisUri));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (nodeBLog) {
            nodeBLog.append(line).append('\n');
          }
          Matcher m = OPEN_URL.matcher(line);
          if (m.find()) {
            port.complete(URI.create(m.group(1)).getPort());
          }
        }
      } catch (IOException e) {
        // the process ended
      }
      port.completeExceptionally(new IllegalStateException("node B exited before logging its URL:\n" + nodeBLog));
    }, "chat-node-b-log");
    reader.setDaemon(true);
    reader.start();
    try {
      nodeBPort = port.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new AssertionError("node B did not start within 30 s; its log:\n" + nodeBLog, e);
    }
    return p;
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (nodeB != null) {
        nodeB.destroy();
        if (!nodeB.waitFor(10, TimeUnit.SECONDS)) {
          nodeB.destroyForcibly();
        }
      }
      if (nodeA != null) {
        nodeA.close();
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  private static WsClient join(int port, String room, List<WsClient> open) {
    String path = "/ws/chat/" + java.net.URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20") + "/";
    WsClient c = WsClient.connect(http, URI.create("ws://127.0.0.1:" + port + path), "http://127.0.0.1:" + port);
    open.add(c);
    return c;
  }

  private static String messageOf(WsClient c) throws IOException {
    return JSON.readTree(c.nextText()).get("message").asText();
  }

  @Test
  void clientsOnDifferentNodesInOneRoomSeeEachOther() throws Exception {
    List<WsClient> open = new ArrayList<>();
    try {
      for (String room : List.of("lobby", "聊天室")) {
        WsClient onA = join(nodeA.port(), room, open);
        WsClient onB = join(nodeBPort, room, open);
        WsClient elsewhereOnB = join(nodeBPort, room + "_not", open);

        onA.sendText(JSON.writeValueAsString(Map.of("message", "from A in " + room)));
        assertThat(messageOf(onA)).isEqualTo("from A in " + room);
        assertThat(messageOf(onB)).isEqualTo("from A in " + room);

        onB.sendText(JSON.writeValueAsString(Map.of("message", "from B in " + room)));
        assertThat(messageOf(onB)).isEqualTo("from B in " + room);
        assertThat(messageOf(onA)).isEqualTo("from B in " + room);

        elsewhereOnB.sendText(JSON.writeValueAsString(Map.of("message", "elsewhere")));
        assertThat(messageOf(elsewhereOnB)).isEqualTo("elsewhere");
        assertThat(onA.nothingWithin(java.time.Duration.ofMillis(200))).isTrue();
      }
    } finally {
      open.forEach(WsClient::close);
    }
  }

  @Test
  void aMixedRoomAcrossTwoNodesSeesEveryMessageOnceInOrder() throws Exception {
    HttpClient h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRoomClient onA = new HttpRoomClient(h1, nodeA.port(), "mixed_nodes");
    HttpRoomClient onB = new HttpRoomClient(h1, nodeBPort, "mixed_nodes");
    String cursor = onB.poll(null, null).get("cursor").asText();
    List<WsClient> open = new ArrayList<>();
    try (HttpRoomClient.EventStream sseOnB = onB.events(null)) {
      WsClient wsOnA = join(nodeA.port(), "mixed_nodes", open);
      wsOnA.sendText(JSON.writeValueAsString(Map.of("message", "ws on A")));
      assertThat(messageOf(wsOnA)).isEqualTo("ws on A");
      assertThat(onB.post("post on B")).isEqualTo(202);
      assertThat(messageOf(wsOnA)).isEqualTo("post on B");
      assertThat(onA.post("post on A")).isEqualTo(202);
      assertThat(messageOf(wsOnA)).isEqualTo("post on A");
      List<String> expected = List.of("ws on A", "post on B", "post on A");

      List<String> onSse = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        onSse.add(sseOnB.next().message());
      }
      assertThat(onSse).containsExactlyElementsOf(expected);
      List<String> cursors = new ArrayList<>();
      assertThat(onB.pollUntil(cursor, 3, cursors)).containsExactlyElementsOf(expected);
      // The history is shared: polling node A from the same cursor gives the same messages.
      assertThat(onA.pollUntil(cursor, 3, new ArrayList<>())).containsExactlyElementsOf(expected);

      // Once: a marker is the next thing each client gets.
      assertThat(onA.post("marker")).isEqualTo(202);
      assertThat(messageOf(wsOnA)).isEqualTo("marker");
      assertThat(sseOnB.next().message()).isEqualTo("marker");
      assertThat(onB.pollUntil(cursors.get(0), 1, new ArrayList<>())).containsExactly("marker");
    } finally {
      open.forEach(WsClient::close);
    }
  }
}
