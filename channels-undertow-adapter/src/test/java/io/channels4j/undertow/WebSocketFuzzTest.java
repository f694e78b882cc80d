package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.Receive;
import io.channels4j.Send;
import io.channels4j.internal.LogText;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing over raw sockets: random and malformed handshakes, headers, paths and frames, each
 * of which must end in a defined HTTP status or close code (never a hang: every read times out loudly),
 * while a well-behaved pair keeps chatting through the same server, and no connection slot is left
 * behind. Reproduce a failure with {@code -DargLine=-Dfuzz.seed=N} (and {@code fuzz.cases}); the
 * failing case's index and description are printed. {@code fuzz.only=I} runs case I alone and prints
 * it; {@code fuzz.debugLeaks=true} runs the cases one by one and checks the slots after each.
 */
class WebSocketFuzzTest {

  static final long SEED = Long.getLong("fuzz.seed", 20261130L);
  static final int CASES = Integer.getInteger("fuzz.cases", 3000);
  static final int READ_TIMEOUT_MS = 5000;
  static final int MAX_MESSAGE = 16 * 1024;
  /** Statuses a handshake may get; anything else (or a hang) fails. */
  static final Set<Integer> STATUSES = Set.of(101, 200, 400, 403, 404, 405, 413, 414, 426, 431, 501, 503, 505);

  ChannelsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  /** The chat pair's room: every text a member sends goes to every member. Anything else is echoed. */
  static Application app() {
    Set<Send> room = ConcurrentHashMap.newKeySet();
    return (scope, receive, send) -> {
      if (scope.type().equals("http")) {
        return receive.receive().thenCompose(req -> send.send(Message.of("http.response.start", "status", 200)))
            .thenCompose(v -> send.send(Message.of("http.response.body", "body", "ok".getBytes(StandardCharsets.UTF_8))));
      }
      boolean chat = scope.path().equals("/chat/");
      return loop(receive, send, chat ? room : null);
    };
  }

  private static CompletionStage<Void> loop(Receive receive, Send send, Set<Send> room) {
    return receive.receive().thenCompose(m -> switch (m.type()) {
      case "websocket.connect" -> {
        if (room != null) {
          room.add(send);
        }
        yield send.send(Message.of("websocket.accept")).thenCompose(v -> loop(receive, send, room));
      }
      case "websocket.receive" -> {
        CompletionStage<Void> out;
        if (room != null) {
          List<CompletableFuture<Void>> all = new ArrayList<>();
          for (Send member : room) {
            all.add(member.send(Message.of("websocket.send", "text", m.getString("text"))).toCompletableFuture());
          }
          out = CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]));
        } else if (m.getString("text") != null) {
          out = send.send(Message.of("websocket.send", "text", m.getString("text")));
        } else {
          out = send.send(Message.of("websocket.send", "bytes", m.getBytes("bytes")));
        }
        yield out.thenCompose(v -> loop(receive, send, room));
      }
      default -> {
        if (room != null) {
          room.remove(send);
        }
        yield Application.done();
      }
    });
  }

  @Test
  void randomAndMalformedInputGetsDefinedAnswersWhileAPairKeepsChatting() throws Exception {
    System.out.println("WebSocketFuzzTest seed " + SEED + ", " + CASES + " cases (-Dfuzz.seed=" + SEED + ")");
    server = ChannelsServer.builder(app()).port(0).maxMessageSize(MAX_MESSAGE).closeTimeout(Duration.ofSeconds(1))
        .shutdownTimeout(Duration.ofSeconds(2)).build().start();
    int port = server.port();
    String base = "ws://127.0.0.1:" + port;
    WsRecorder a = WsRecorder.open(base + "/chat/");
    WsRecorder b = WsRecorder.open(base + "/chat/");
    AtomicBoolean fuzzing = new AtomicBoolean(true);
    CompletableFuture<Integer> chat = CompletableFuture.supplyAsync(() -> {
      int sent = 0;
      try {
        while (fuzzing.get() || sent < 20) {
          (sent % 2 == 0 ? a : b).send("chat-" + sent);
          sent++;
          Thread.sleep(2); // pacing of a human chat, not synchronisation
        }
      } catch (Exception e) {
        throw new IllegalStateException("the well-behaved pair could not send", e);
      }
      return sent;
    });
    ExecutorService pool = Executors.newFixedThreadPool(4);
    long started = System.nanoTime();
    try {
      List<Future<?>> parts = new ArrayList<>();
      int threads = Boolean.getBoolean("fuzz.debugLeaks") ? 1 : 4;
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(pool.submit(() -> {
          for (int i = first; i < CASES; i += threads) {
            runCase(port, i);
            if (Boolean.getBoolean("fuzz.debugLeaks") && Integer.getInteger("fuzz.only", i) == i) {
              int c = i;
              await().atMost(Duration.ofSeconds(3)).failFast(() -> false)
                  .alias("connection slots back after case " + c).until(() -> server.handler().activeConnections() == 2);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : parts) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      fuzzing.set(false);
      pool.shutdownNow();
    }
    int sent = chat.get(30, TimeUnit.SECONDS);
    // both members get every chat message, each sender's in its order, although thousands of hostile
    // clients came and went meanwhile
    for (WsRecorder member : List.of(a, b)) {
      List<Integer> got = new ArrayList<>();
      for (int i = 0; i < sent; i++) {
        got.add(Integer.parseInt(member.nextText().substring("chat-".length())));
      }
      assertThat(got).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, sent).boxed().toList());
      assertThat(got.stream().filter(i -> i % 2 == 0).toList()).isSorted();
      assertThat(got.stream().filter(i -> i % 2 == 1).toList()).isSorted();
    }
    System.out.println("WebSocketFuzzTest: " + CASES + " cases in "
        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms, " + sent + " chat messages delivered");
    await().atMost(Duration.ofSeconds(5)).until(() -> server.handler().activeConnections() == 2);
  }

  // ---------------------------------------------------------------- one case

  /** What the server must answer: an exact close code, any defined one, or just closing the connection. */
  record Expect(int code, boolean anyCode) {
    static Expect exactly(int code) {
      return new Expect(code, false);
    }

    static Expect anyDefined() {
      return new Expect(0, true);
    }
  }

  static final Set<Integer> SERVER_CODES = Set.of(1000, 1001, 1002, 1005, 1007, 1008, 1009, 1011);

  private void runCase(int port, int index) {
    Random r = new Random(SEED * 1_000_003L + index);
    StringBuilder what = new StringBuilder();
    try {
      if (Integer.getInteger("fuzz.only", index) != index) {
        return;
      }
      int kind = r.nextInt(10);
      if (kind < 3) {
        handshakeCase(port, r, what);
      } else {
        framesCase(port, r, what);
      }
    } catch (IOException | RuntimeException | AssertionError e) {
      throw new AssertionError("fuzz case " + index + " (seed " + SEED + "): " + what + " -> " + e, e);
    }
    if (Integer.getInteger("fuzz.only", -1) == index) {
      System.out.println("fuzz case " + index + ": " + what);
    }
  }

  private static Socket connect(int port) throws IOException {
    Socket s = new Socket();
    s.setSoTimeout(READ_TIMEOUT_MS);
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return s;
  }

  /** A random or mangled handshake or plain request: it must get a defined status. */
  private void handshakeCase(int port, Random r, StringBuilder what) throws IOException {
    String method = pick(r, "GET", "GET", "GET", "POST", "PUT", "OPTIONS", "G\u00c9T", "get");
    String path = randomPath(r);
    List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1:" + port, "Upgrade: websocket",
        "Connection: Upgrade", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
    int mutations = r.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      switch (r.nextInt(8)) {
        case 0 -> headers.remove(r.nextInt(headers.size()));
        case 1 -> headers.set(headers.size() - 1, "Sec-WebSocket-Version: " + pick(r, "8", "12", "14", "", "13, 8", "x"));
        case 2 -> headers.add("X-Fuzz: " + randomText(r, r.nextInt(200)));
        case 3 -> headers.add(randomText(r, 1 + r.nextInt(40)));
        case 4 -> headers.add("Sec-WebSocket-Protocol: " + randomText(r, r.nextInt(60)));
        case 5 -> headers.add("Sec-WebSocket-Extensions: " + pick(r, "permessage-deflate", "x-unknown", ";;;"));
        case 6 -> headers.add("X-Big: " + "b".repeat(r.nextInt(20_000)));
        default -> headers.add("Content-Length: " + pick(r, "0", "5", "-1", "abc"));
      }
    }
    StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    for (String h : headers) {
      req.append(h).append("\r\n");
    }
    req.append("\r\n");
    byte[] bytes = req.toString().getBytes(StandardCharsets.UTF_8);
    boolean noise = r.nextInt(10) == 0;
    if (noise) { // pure noise instead
      bytes = new byte[1 + r.nextInt(300)];
      r.nextBytes(bytes);
      bytes[bytes.length - 1] = '\n';
    }
    what.append(noise ? "noise " : "handshake ").append(method).append(' ').append(printable(path)).append(" headers ")
        .append(printable(String.join(" | ", headers)));
    boolean fin = noise || req.indexOf("Content-Length") >= 0;
    try (Socket s = connect(port)) {
      try {
        s.getOutputStream().write(bytes);
        if (fin) {
          s.shutdownOutput(); // the server must not wait for a body or the rest of a line that never comes
        }
      } catch (IOException refusedEarly) {
        // the server may answer and close before reading everything; the answer is read below
      }
      InputStream in = s.getInputStream();
      String status = readLine(in);
      if (status == null) {
        return; // the server closed the connection without a response: only for input that is not HTTP
      }
      what.append(" -> ").append(status);
      String[] parts = status.split(" ");
      assertThat(parts.length).as("status line %s", status).isGreaterThanOrEqualTo(2);
      int code = Integer.parseInt(parts[1]);
      assertThat(STATUSES).as("status %s", status).contains(code);
      if (code == 426) {
        String h;
        boolean version = false;
        while ((h = readLine(in)) != null && !h.isEmpty()) {
          version |= h.equalsIgnoreCase("Sec-WebSocket-Version: 13");
        }
        assertThat(version).as("426 names version 13").isTrue();
      }
      if (code == 101) {
        String h;
        while ((h = readLine(in)) != null && !h.isEmpty()) {
          // headers
        }
        if (!fin) {
          s.getOutputStream().write(RawWebSocket.frame(0x88, true, 2, new byte[] {0x03, (byte) 0xe8}));
        }
        assertThat(awaitClose(in)).isIn(1000, 1005, -1);
      }
    }
  }

  /** A valid handshake, then valid and malformed frames: the server must close with a defined code. */
  private void framesCase(int port, Random r, StringBuilder what) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Expect expect = null;
    int valid = r.nextInt(5);
    for (int i = 0; i < valid; i++) {
      out.writeBytes(validFrame(r, what));
    }
    int ending = r.nextInt(10);
    if (ending < 5) {
      expect = violation(r, out, what);
    } else if (ending < 7) {
      int code = pickInt(r, 1000, 1001, 1003, 1008, 1011, 3000, 4000, 4999);
      out.writeBytes(RawWebSocket.frame(0x88, true, 2, new byte[] {(byte) (code >> 8), (byte) code}));
      what.append(" close(").append(code).append(')');
      expect = Expect.exactly(code);
    } else if (ending < 8) {
      out.writeBytes(RawWebSocket.frame(0x88, true, 0, new byte[0]));
      what.append(" close()");
      expect = Expect.exactly(1000); // Undertow answers a close without a code with 1000
    } else if (ending < 9) {
      byte[] noise = new byte[1 + r.nextInt(200)];
      r.nextBytes(noise);
      out.writeBytes(noise);
      what.append(" noise(").append(noise.length).append(')');
      expect = Expect.anyDefined();
    } else {
      what.append(" FIN");
      expect = Expect.anyDefined();
    }
    try (RawWebSocket ws = RawWebSocket.connect(port, "/ws/fuzz", 0)) {
      assertThat(ws.status).isEqualTo(101);
      ws.socket.setSoTimeout(READ_TIMEOUT_MS);
      try {
        ws.out.write(out.toByteArray());
        ws.out.flush();
        ws.socket.shutdownOutput(); // FIN: the server must not wait for more
      } catch (IOException closedEarly) {
        // the server failed the connection before reading everything; its answer is read below
      }
      int code = awaitClose(ws.in);
      if (expect.anyCode()) {
        assertThat(code).as("close code").satisfiesAnyOf(c -> assertThat(c).isEqualTo(-1),
            c -> assertThat(SERVER_CODES).contains(c));
      } else {
        assertThat(code).as("close code").isEqualTo(expect.code());
      }
    }
  }

  private static byte[] validFrame(Random r, StringBuilder what) {
    switch (r.nextInt(5)) {
      case 0 -> {
        byte[] p = randomText(r, r.nextInt(300)).getBytes(StandardCharsets.UTF_8);
        what.append(" text(").append(p.length).append(')');
        return RawWebSocket.frame(0x81, true, p.length, p);
      }
      case 1 -> {
        byte[] p = new byte[r.nextInt(2000)];
        r.nextBytes(p);
        what.append(" binary(").append(p.length).append(')');
        return RawWebSocket.frame(0x82, true, p.length, p);
      }
      case 2 -> {
        byte[] p = new byte[r.nextInt(126)];
        r.nextBytes(p);
        what.append(" ping(").append(p.length).append(')');
        return RawWebSocket.frame(r.nextBoolean() ? 0x89 : 0x8a, true, p.length, p);
      }
      default -> {
        byte[] p = randomText(r, 2 + r.nextInt(100)).getBytes(StandardCharsets.UTF_8);
        int cut = 1 + r.nextInt(p.length - 1);
        what.append(" fragmented(").append(p.length).append(')');
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(RawWebSocket.frame(0x02, true, cut, java.util.Arrays.copyOfRange(p, 0, cut)));
        if (r.nextBoolean()) {
          f.writeBytes(RawWebSocket.frame(0x89, true, 0, new byte[0])); // a ping between fragments is fine
        }
        f.writeBytes(RawWebSocket.frame(0x80, true, p.length - cut, java.util.Arrays.copyOfRange(p, cut, p.length)));
        return f.toByteArray();
      }
    }
  }

  /** Appends one frame (or pair) that breaks a rule; returns the close code it must get. */
  private static Expect violation(Random r, ByteArrayOutputStream out, StringBuilder what) {
    byte[] a = {'a'};
    int v = r.nextInt(13);
    String name;
    int code = 1002;
    switch (v) {
      case 0 -> {
        name = "unmasked";
        out.writeBytes(RawWebSocket.frame(0x81, false, 1, a));
      }
      case 1 -> {
        name = "rsv";
        out.writeBytes(RawWebSocket.frame(0x81 | (0x10 << r.nextInt(3)), true, 1, a));
      }
      case 2 -> {
        name = "reserved opcode";
        out.writeBytes(RawWebSocket.frame(0x80 | pickInt(r, 3, 4, 5, 6, 7, 0xb, 0xc, 0xd, 0xe, 0xf), true, 1, a));
      }
      case 3 -> {
        name = "long control";
        int n = 126 + r.nextInt(200);
        out.writeBytes(RawWebSocket.frame(0x80 | pickInt(r, 8, 9, 10), true, n, new byte[n]));
      }
      case 4 -> {
        name = "fragmented control";
        out.writeBytes(RawWebSocket.frame(pickInt(r, 8, 9, 10), true, 0, new byte[0]));
      }
      case 5 -> {
        name = "orphan continuation";
        out.writeBytes(RawWebSocket.frame(pickInt(r, 0x00, 0x80), true, 1, a));
      }
      case 6 -> {
        name = "data inside fragmented";
        out.writeBytes(RawWebSocket.frame(0x01, true, 1, a));
        out.writeBytes(RawWebSocket.frame(pickInt(r, 0x81, 0x82, 0x01), true, 1, a));
      }
      case 7 -> {
        name = "bad UTF-8";
        code = 1007;
        byte[] bad = pick(r, new byte[] {(byte) 0xc3, 0x28}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
            new byte[] {(byte) 0xff}, new byte[] {'o', 'k', (byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80});
        out.writeBytes(RawWebSocket.frame(0x81, true, bad.length, bad));
      }
      case 8 -> {
        name = "bad close code";
        int c = pickInt(r, 0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535);
        out.writeBytes(RawWebSocket.frame(0x88, true, 2, new byte[] {(byte) (c >> 8), (byte) c}));
      }
      case 9 -> {
        name = "close payload of 1";
        out.writeBytes(RawWebSocket.frame(0x88, true, 1, new byte[] {3}));
      }
      case 10 -> {
        name = "declared too big";
        code = 1009;
        long declared = pick(r, (long) MAX_MESSAGE + 1, 1L << 30, 1L << 40, Long.MAX_VALUE);
        out.writeBytes(RawWebSocket.frame(pickInt(r, 0x81, 0x82, 0x01), true, declared, new byte[r.nextInt(64)]));
      }
      case 11 -> {
        name = "fragments too big";
        code = 1009;
        out.writeBytes(RawWebSocket.frame(0x02, true, MAX_MESSAGE / 2 + 1, new byte[MAX_MESSAGE / 2 + 1]));
        out.writeBytes(RawWebSocket.frame(0x80, true, MAX_MESSAGE / 2 + 1, new byte[MAX_MESSAGE / 2 + 1]));
      }
      default -> {
        name = "bad UTF-8 close reason";
        code = 1007;
        out.writeBytes(RawWebSocket.frame(0x88, true, 4, new byte[] {0x03, (byte) 0xe8, (byte) 0xc3, 0x28}));
      }
    }
    what.append(" violation:").append(name);
    if (r.nextBoolean()) { // whatever follows a violation is never read
      byte[] tail = new byte[r.nextInt(100)];
      r.nextBytes(tail);
      out.writeBytes(tail);
    }
    return Expect.exactly(code);
  }

  /**
   * Reads frames until the server's close frame and then end of stream; returns its code (1005 when
   * empty), or -1 if the server closed the connection without one. A read that times out fails.
   */
  private static int awaitClose(InputStream in) throws IOException {
    java.io.DataInputStream d = new java.io.DataInputStream(in);
    int code = -1;
    try {
      while (true) {
        int b0 = d.read();
        if (b0 < 0) {
          return code;
        }
        int b1 = d.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = d.readUnsignedShort();
        } else if (len == 127) {
          len = d.readLong();
        }
        assertThat(len).as("server frame length").isBetween(0L, (long) MAX_MESSAGE * 4);
        assertThat(b1 & 0x80).as("server frames are not masked").isZero();
        byte[] p = new byte[(int) len];
        d.readFully(p);
        if ((b0 & 0x0f) == 0x8) {
          assertThat(code).as("one close frame").isEqualTo(-1);
          code = p.length < 2 ? 1005 : (p[0] & 0xff) << 8 | (p[1] & 0xff);
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server neither closed nor answered within " + READ_TIMEOUT_MS + " ms", e);
    } catch (EOFException e) {
      return code; // closed mid-frame after its close frame, or a reset: the close code (if any) was read
    } catch (java.net.SocketException reset) {
      return code; // reset after the server failed the connection with unread input
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try {
      int c;
      while ((c = in.read()) != '\n') {
        if (c < 0) {
          return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
        }
        if (c != '\r') {
          b.write(c);
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not answer within " + READ_TIMEOUT_MS + " ms", e);
    } catch (java.net.SocketException reset) {
      return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  private static String randomPath(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> "/ws/" + randomText(r, r.nextInt(50)).replace(" ", "%20").replace("\r", "%0d").replace("\n", "%0a");
      case 1 -> "/ws/%0aINFO%20forged%20line";
      case 2 -> "/ws/" + "%".repeat(1 + r.nextInt(3)) + "zz";
      case 3 -> "/" + "a/".repeat(r.nextInt(2000));
      case 4 -> "/ws/?" + randomText(r, r.nextInt(100)).replace(" ", "+").replace("\r", "").replace("\n", "");
      case 5 -> "*";
      case 6 -> "http://127.0.0.1/ws/";
      default -> "/ws/" + "\u00e9\u6f22".repeat(r.nextInt(10));
    };
  }

  private static String randomText(Random r, int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(10);
      b.append(k < 7 ? (char) (' ' + r.nextInt(95)) : k < 9 ? (char) (0xa0 + r.nextInt(0x2000)) : (char) r.nextInt(32));
    }
    return b.toString().replace('\r', ' ').replace('\n', ' ');
  }

  private static String printable(String s) {
    return LogText.escape(s);
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... options) {
    return options[r.nextInt(options.length)];
  }

  private static int pickInt(Random r, int... options) {
    return options[r.nextInt(options.length)];
  }
}
