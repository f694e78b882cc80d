package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.Send;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One hostile or broken client at a time (issue 9): each must cost a bounded amount and end with a defined code. */
class WebSocketAbuseTest {

  ChannelsServer server;
  final BlockingQueue<Message> events = new LinkedBlockingQueue<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  int start(ChannelsServer.Builder b) {
    server = b.port(0).shutdownTimeout(Duration.ofSeconds(2)).closeTimeout(Duration.ofSeconds(1)).build().start();
    return server.port();
  }

  /** Accepts, records each message as "test.message" and the disconnect code as "test.disconnect". */
  Application recorder() {
    return Apps.loop((scope, event, send) -> {
      switch (event.type()) {
        case "websocket.connect" -> send.send(Message.of("websocket.accept")).toCompletableFuture().join();
        case "websocket.receive" -> events.add(Message.of("test.message", "text", event.getString("text")));
        case "websocket.disconnect" -> events.add(Message.of("test.disconnect", "code", event.getInt("code", -1)));
        default -> { }
      }
      return true;
    });
  }

  Message nextEvent() throws InterruptedException {
    return WsRecorder.take(events, "an application event");
  }

  int nextDisconnect() throws InterruptedException {
    Message m = nextEvent();
    while (!m.type().equals("test.disconnect")) {
      m = nextEvent();
    }
    return m.getInt("code", -1);
  }

  static RawWebSocket open(int port) throws IOException {
    RawWebSocket raw = RawWebSocket.connect(port, "/ws/", 0);
    assertThat(raw.status).isEqualTo(101);
    raw.socket.setSoTimeout(3000);
    return raw;
  }

  /** Reads frames until the server's close; fails loudly if none comes within the socket timeout. */
  static int closeCodeFrom(RawWebSocket raw) throws IOException {
    try {
      RawWebSocket.Frame f = raw.readDataOrClose();
      while (f.opcode() != 0x8) {
        f = raw.readDataOrClose();
      }
      return f.closeCode();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server sent no close frame within 3 s", e);
    } catch (java.io.EOFException e) {
      throw new AssertionError("the server closed the connection without a close frame", e);
    }
  }

  static byte[] text(String s) {
    return RawWebSocket.frame(0x81, true, s.getBytes(StandardCharsets.UTF_8).length, s.getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- 1. dead sockets

  @Test
  void aClientThatLeavesWithoutACloseFrameFreesItsSlotAtOnce() throws Exception {
    int port = start(ChannelsServer.builder(recorder()).maxConnections(4));
    for (int i = 0; i < 40; i++) {
      RawWebSocket raw = open(port); // fails with 503 once dead sockets hold all four slots
      raw.socket.close(); // FIN, no close frame
      assertThat(nextDisconnect()).isEqualTo(1006);
    }
    for (int burst = 0; burst < 3; burst++) {
      List<RawWebSocket> all = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        all.add(open(port));
      }
      for (RawWebSocket raw : all) {
        raw.socket.close();
      }
      await().atMost(Duration.ofSeconds(2)).until(() -> server.handler().activeConnections() == 0);
    }
    try (RawWebSocket fresh = open(port)) {
      fresh.sendText("still served");
      Message m = nextEvent();
      while (!m.type().equals("test.message")) {
        m = nextEvent();
      }
      assertThat(m.getString("text")).isEqualTo("still served");
    }
  }

  // ---------------------------------------------------------------- 2. inbound back-pressure

  @Test
  void readsPauseWhileTheApplicationIsBehindAndNothingIsLost() throws Exception {
    CompletableFuture<Void> gate = new CompletableFuture<>();
    AtomicReference<Inbox> inbox = new AtomicReference<>();
    List<String> got = java.util.Collections.synchronizedList(new ArrayList<>());
    Application slow = (scope, receive, send) -> {
      inbox.set((Inbox) receive);
      return receive.receive()
          .thenCompose(connect -> send.send(Message.of("websocket.accept")))
          .thenCompose(v -> gate) // the consumer is stuck until the test releases it
          .thenCompose(v -> drain(receive, got));
    };
    int port = start(ChannelsServer.builder(slow).maxInboundMessages(16).maxInboundBytes(1 << 20));
    int count = 3000;
    try (RawWebSocket raw = open(port)) {
      CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
        try {
          for (int i = 0; i < count; i++) {
            raw.write(text("m" + i + "-" + "x".repeat(200)));
          }
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      await().atMost(Duration.ofSeconds(5)).until(() -> inbox.get() != null && inbox.get().size() >= 16);
      // while the consumer is stuck, the server holds at most the bound however fast the client writes
      await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
          .until(() -> inbox.get().size() <= 16);
      gate.complete(null);
      sender.get(20, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == count);
      assertThat(inbox.get().peak()).isLessThanOrEqualTo(16);
      for (int i = 0; i < count; i++) {
        assertThat(got.get(i)).startsWith("m" + i + "-");
      }
    }
  }

  private static CompletionStage<Void> drain(Receive receive, List<String> got) {
    return receive.receive().thenCompose(m -> {
      if (m.type().equals("websocket.disconnect")) {
        return Application.done();
      }
      got.add(m.getString("text"));
      return drain(receive, got);
    });
  }

  @Test
  void inboundLimitsMustBePositive() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChannelsServer.builder(recorder()).maxInboundMessages(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInboundMessages");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChannelsHandler.builder(recorder()).maxInboundBytes(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInboundBytes");
  }

  // ---------------------------------------------------------------- 3. oversized frames

  @Test
  void aFrameDeclaringMoreThanTheLimitIsClosed1009BeforeItsPayload() throws Exception {
    int port = start(ChannelsServer.builder(recorder()).maxMessageSize(64 * 1024));
    for (long declared : new long[] {1L << 30, Long.MAX_VALUE, 64 * 1024 + 1}) {
      try (RawWebSocket raw = open(port)) {
        byte[] head = RawWebSocket.frame(0x82, true, declared, new byte[16]); // 16 bytes of the payload only
        raw.write(head);
        assertThat(closeCodeFrom(raw)).as("declared %d", declared).isEqualTo(1009);
        assertThat(raw.awaitEof()).isTrue();
        assertThat(nextDisconnect()).isEqualTo(1009);
      }
    }
  }

  @Test
  void fragmentsAddingUpToMoreThanTheLimitAreClosed1009() throws Exception {
    int port = start(ChannelsServer.builder(recorder()).maxMessageSize(1000));
    try (RawWebSocket raw = open(port)) {
      raw.write(RawWebSocket.frame(0x01, true, 600, new byte[600])); // text, not final
      raw.write(RawWebSocket.frame(0x80, true, 1L << 40, new byte[8])); // continuation declaring a lot
      assertThat(closeCodeFrom(raw)).isEqualTo(1009);
      assertThat(raw.awaitEof()).isTrue();
      assertThat(nextDisconnect()).isEqualTo(1009);
    }
  }

  // ---------------------------------------------------------------- 4. protocol errors

  @Test
  void protocolErrorsCloseWithTheirCodeAndTheApplicationSeesIt() throws Exception {
    int port = start(ChannelsServer.builder(recorder()));
    byte[] a = "a".getBytes(StandardCharsets.UTF_8);
    Map<String, byte[][]> cases = new java.util.LinkedHashMap<>();
    cases.put("1007 invalid UTF-8 in a text frame", new byte[][] {RawWebSocket.frame(0x81, true, 2, new byte[] {(byte) 0xc3, 0x28})});
    cases.put("1007 invalid UTF-8 across fragments", new byte[][] {
        RawWebSocket.frame(0x01, true, 1, new byte[] {(byte) 0xe2}), RawWebSocket.frame(0x80, true, 1, new byte[] {0x41})});
    cases.put("1002 unmasked client frame", new byte[][] {RawWebSocket.frame(0x81, false, 1, a)});
    cases.put("1002 RSV1 without an extension", new byte[][] {RawWebSocket.frame(0xc1, true, 1, a)});
    cases.put("1002 RSV3", new byte[][] {RawWebSocket.frame(0x91, true, 1, a)});
    cases.put("1002 unknown data opcode", new byte[][] {RawWebSocket.frame(0x83, true, 1, a)});
    cases.put("1002 unknown control opcode", new byte[][] {RawWebSocket.frame(0x8b, true, 1, a)});
    cases.put("1002 ping over 125 bytes", new byte[][] {RawWebSocket.frame(0x89, true, 126, new byte[126])});
    cases.put("1002 fragmented ping", new byte[][] {RawWebSocket.frame(0x09, true, 1, a)});
    cases.put("1002 continuation without a start", new byte[][] {RawWebSocket.frame(0x80, true, 1, a)});
    cases.put("1002 new message inside a fragmented one", new byte[][] {
        RawWebSocket.frame(0x01, true, 1, a), RawWebSocket.frame(0x81, true, 1, a)});
    cases.put("1002 close code 1005 on the wire", new byte[][] {RawWebSocket.frame(0x88, true, 2, new byte[] {0x03, (byte) 0xed})});
    cases.put("1002 close code 999", new byte[][] {RawWebSocket.frame(0x88, true, 2, new byte[] {0x03, (byte) 0xe7})});
    cases.put("1002 close payload of one byte", new byte[][] {RawWebSocket.frame(0x88, true, 1, new byte[] {0x03})});
    cases.put("1007 close reason not UTF-8", new byte[][] {
        RawWebSocket.frame(0x88, true, 4, new byte[] {0x03, (byte) 0xe8, (byte) 0xc3, 0x28})});
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, byte[][]> c : cases.entrySet()) {
      int expected = Integer.parseInt(c.getKey().substring(0, 4));
      try (RawWebSocket raw = open(port)) {
        raw.write(c.getValue());
        String sent;
        try {
          sent = String.valueOf(closeCodeFrom(raw));
        } catch (AssertionError e) {
          sent = e.getMessage();
        }
        raw.awaitEof();
        int seen = nextDisconnect();
        if (!sent.equals(String.valueOf(expected)) || seen != expected) {
          wrong.add(c.getKey() + ": close frame " + sent + ", disconnect " + seen);
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  // ---------------------------------------------------------------- 5. the last message

  @Test
  void aMessageReadBeforeTheCloseReachesTheApplicationBeforeItsDisconnect() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Map<Integer, List<String>> seen = new ConcurrentHashMap<>();
    try {
      // every receive() is called from a pool thread, racing the I/O thread that offers the last events
      Application app = (scope, receive, send) -> {
        int id = Integer.parseInt(scope.queryString().isEmpty() ? "0" : scope.queryString().split("=")[1]);
        List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
        seen.put(id, log);
        return loopOn(pool, receive, send, log);
      };
      int port = start(ChannelsServer.builder(app));
      int n = 300;
      for (int i = 0; i < n; i++) {
        RawWebSocket raw = RawWebSocket.connect(port, "/ws/?id=" + i, 0);
        assertThat(raw.status).isEqualTo(101);
        if (i % 2 == 0) {
          raw.write(text("last"), RawWebSocket.frame(0x88, true, 2, new byte[] {0x03, (byte) 0xe8}));
        } else {
          raw.write(text("last")); // then FIN without a close frame
        }
        raw.close();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == n
          && seen.values().stream().allMatch(l -> l.stream().anyMatch(e -> e.startsWith("disconnect"))));
      for (Map.Entry<Integer, List<String>> e : seen.entrySet()) {
        assertThat(e.getValue()).as("connection %d", e.getKey()).startsWith("last").hasSize(2);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static CompletionStage<Void> loopOn(ExecutorService pool, Receive receive, Send send, List<String> log) {
    return CompletableFuture.supplyAsync(receive::receive, pool).thenCompose(s -> s).thenCompose(m -> switch (m.type()) {
      case "websocket.connect" -> send.send(Message.of("websocket.accept")).thenCompose(v -> loopOn(pool, receive, send, log));
      case "websocket.receive" -> {
        log.add(m.getString("text"));
        yield loopOn(pool, receive, send, log);
      }
      default -> {
        log.add("disconnect " + m.getInt("code", -1));
        yield Application.done();
      }
    });
  }

  // ---------------------------------------------------------------- 6. ping timeout

  @Test
  void anUnansweredPingDropsThePeerAtTheTimeoutNotAnIntervalLater() throws Exception {
    int port = start(ChannelsServer.builder(recorder())
        .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(400)));
    try (RawWebSocket raw = open(port)) {
      RawWebSocket.Frame ping = raw.readFrame();
      long pinged = System.nanoTime();
      assertThat(ping.opcode()).isEqualTo(0x9); // never answered
      assertThat(raw.awaitEof()).isTrue();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pinged);
      assertThat(millis).isBetween(350L, 560L); // checked on the interval tick it would be ~600
      assertThat(nextDisconnect()).isEqualTo(1006);
    }
  }

  // ---------------------------------------------------------------- 7. version

  @Test
  void anUnsupportedVersionGets426NamingVersion13() throws Exception {
    int port = start(ChannelsServer.builder(recorder()));
    String req = "GET /ws/ HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n";
    try (RawWebSocket raw = RawWebSocket.request(port, req.getBytes(StandardCharsets.ISO_8859_1), 3000)) {
      assertThat(raw.status).isEqualTo(426);
      assertThat(raw.headers).containsEntry("sec-websocket-version", "13");
    }
  }
}
