package io.channels4j.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.Scope;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.consumer.AsyncHttpConsumer;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpTest {

  static final HttpClient CLIENT = HttpClient.newHttpClient();
  ChannelsServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop();
    }
  }

  int start(ChannelsServer.Builder b) {
    server = b.port(0).shutdownTimeout(java.time.Duration.ofSeconds(2)).build().start();
    return server.port();
  }

  static HttpResponse<String> get(String uri) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(uri)).header("X-Test", "Yes").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static Message response(int status, String body) {
    return Message.of("http.response.start", "status", status, "headers",
        Header.toMessageValue(List.of(Header.of("Content-Type", "text/plain"))));
  }

  static Message body(String text, boolean more) {
    return Message.of("http.response.body", "body", text.getBytes(StandardCharsets.UTF_8), "more_body", more);
  }

  @Test
  void scopeCarriesTheRequest() throws Exception {
    BlockingQueue<Scope> scopes = new LinkedBlockingQueue<>();
    Application app = Apps.loop((scope, event, send) -> {
      if (event.type().equals("http.request") && !event.getBoolean("more_body", false)) {
        scopes.add(scope);
        send.send(response(200, ""));
        send.send(body("ok", false));
      }
      return true;
    });
    int port = start(ChannelsServer.builder(app).rootPath("/app"));
    HttpResponse<String> r = get("http://127.0.0.1:" + port + "/caf%C3%A9/a%20b%2Fc?x=1&y=%20");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
    Scope s = scopes.poll(5, TimeUnit.SECONDS);
    assertThat(s).isNotNull();
    assertThat(s.type()).isEqualTo("http");
    assertThat(s.method()).isEqualTo("GET");
    assertThat(s.httpVersion()).isEqualTo("1.1");
    assertThat(s.scheme()).isEqualTo("http");
    assertThat(s.path()).isEqualTo("/café/a b/c");
    assertThat(s.rawPath()).isEqualTo("/caf%C3%A9/a%20b%2Fc");
    assertThat(s.queryString()).isEqualTo("x=1&y=%20");
    assertThat(s.rootPath()).isEqualTo("/app");
    assertThat(s.header("x-test")).contains("Yes");
    assertThat(s.headers()).allSatisfy(h -> assertThat(h.name()).isLowerCase());
    assertThat(s.client().orElseThrow().getAddress().isLoopbackAddress()).isTrue();
    assertThat(s.server().orElseThrow().getPort()).isEqualTo(port);
  }

  @Test
  void requestBodyArrivesInChunksAndDisconnectFollowsTheResponse() throws Exception {
    BlockingQueue<Message> events = new LinkedBlockingQueue<>();
    Application app = Apps.loop((scope, event, send) -> {
      events.add(event);
      if (event.type().equals("http.request") && !event.getBoolean("more_body", false)) {
        send.send(response(200, ""));
        send.send(body("done", false));
      }
      return true;
    });
    int port = start(ChannelsServer.builder(app));
    byte[] big = new byte[200_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) i;
    }
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/upload"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(big)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("done");
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    int chunks = 0;
    Message m;
    while ((m = events.poll(5, TimeUnit.SECONDS)) != null && m.type().equals("http.request")) {
      got.writeBytes(m.getBytes("body"));
      chunks++;
      if (!m.getBoolean("more_body", false)) {
        break;
      }
    }
    assertThat(got.toByteArray()).isEqualTo(big);
    assertThat(chunks).isGreaterThan(1);
    Message disconnect = events.poll(5, TimeUnit.SECONDS);
    assertThat(disconnect).isNotNull();
    assertThat(disconnect.type()).isEqualTo("http.disconnect");
  }

  /** Server-sent events through AsyncHttpConsumer, read chunk by chunk: each event must arrive alone. */
  public static final class Sse extends AsyncHttpConsumer {
    static final BlockingQueue<CompletableFuture<String>> NEXT = new LinkedBlockingQueue<>();

    @Override
    public CompletionStage<Void> handle(byte[] body) {
      return sendHeaders(200, List.of(Header.of("content-type", "text/event-stream"))).thenCompose(v -> pump(1));
    }

    private CompletionStage<Void> pump(int n) {
      if (n > 3) {
        return sendBody(new byte[0], false);
      }
      return sendBody(("data: " + n + "\n\n").getBytes(StandardCharsets.UTF_8), true)
          .thenCompose(v -> {
            CompletableFuture<String> go = new CompletableFuture<>();
            NEXT.add(go);
            return go;
          })
          .thenCompose(x -> pump(n + 1));
    }
  }

  @Test
  void serverSentEventsAreFlushedOneByOne() throws Exception {
    int port = start(ChannelsServer.builder(AsyncConsumer.asApplication(Sse::new)));
    HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("text/event-stream");
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      for (int n = 1; n <= 3; n++) {
        assertThat(in.readLine()).isEqualTo("data: " + n);
        assertThat(in.readLine()).isEmpty();
        // the application sends the next event only after we have read this one
        CompletableFuture<String> go = Sse.NEXT.poll(5, TimeUnit.SECONDS);
        assertThat(go).as("consumer waiting after event " + n).isNotNull();
        go.complete("next");
      }
      assertThat(in.readLine()).isNull();
    }
  }

  @Test
  void longPollSeesDisconnectWhenTheClientLeaves() throws Exception {
    BlockingQueue<Message> events = new LinkedBlockingQueue<>();
    Application app = Apps.loop((scope, event, send) -> {
      events.add(event); // never answers: a long poll
      return true;
    });
    int port = start(ChannelsServer.builder(app));
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.getOutputStream().write("GET /poll HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      Message request = events.poll(5, TimeUnit.SECONDS);
      assertThat(request).isNotNull();
      assertThat(request.type()).isEqualTo("http.request");
    }
    Message gone = events.poll(5, TimeUnit.SECONDS);
    assertThat(gone).as("http.disconnect after the client closed").isNotNull();
    assertThat(gone.type()).isEqualTo("http.disconnect");
  }

  @Test
  void keepAliveAndPipelinedRequestsStillWork() throws Exception {
    Application app = Apps.loop((scope, event, send) -> {
      if (event.type().equals("http.request")) {
        send.send(response(200, ""));
        send.send(body("path " + scope.path(), false));
      }
      return true;
    });
    int port = start(ChannelsServer.builder(app));
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(("GET /one HTTP/1.1\r\nHost: x\r\n\r\nGET /two HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      s.getOutputStream().flush();
      java.io.InputStream in = s.getInputStream();
      StringBuilder got = new StringBuilder();
      byte[] buf = new byte[4096];
      while (!got.toString().contains("path /two")) {
        int n = in.read(buf);
        assertThat(n).as("response bytes so far: " + got).isPositive();
        got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      assertThat(got.toString()).contains("path /one").contains("path /two");
      s.getOutputStream().write("GET /three HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      while (!got.toString().contains("path /three")) {
        int n = in.read(buf);
        assertThat(n).as("response bytes so far: " + got).isPositive();
        got.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
    }
  }

  @Test
  void applicationFailureGives500AndTheServerGoesOn() throws Exception {
    Application app = (scope, receive, send) -> {
      if (scope.path().equals("/throw")) {
        throw new IllegalStateException("boom (test)");
      }
      if (scope.path().equals("/fail")) {
        return CompletableFuture.failedFuture(new IllegalStateException("failed stage (test)"));
      }
      if (scope.path().equals("/nothing")) {
        return Application.done();
      }
      return send.send(response(200, "")).thenCompose(v -> send.send(body("fine", false)));
    };
    int port = start(ChannelsServer.builder(app));
    assertThat(get("http://127.0.0.1:" + port + "/throw").statusCode()).isEqualTo(500);
    assertThat(get("http://127.0.0.1:" + port + "/fail").statusCode()).isEqualTo(500);
    assertThat(get("http://127.0.0.1:" + port + "/nothing").statusCode()).isEqualTo(500);
    HttpResponse<String> ok = get("http://127.0.0.1:" + port + "/ok");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("fine");
  }

  @Test
  void bodyOverTheLimitGets413() throws Exception {
    Application app = Apps.loop((scope, event, send) -> {
      if (event.type().equals("http.request") && !event.getBoolean("more_body", false)) {
        send.send(response(200, ""));
        send.send(body("took it", false));
      }
      return true;
    });
    int port = start(ChannelsServer.builder(app).maxBodySize(1000));
    HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/up"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[5000])).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(413);
    // no Content-Length (chunked): caught while reading
    HttpResponse<String> chunked = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/up"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[5000])))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);
    HttpResponse<String> small = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/up"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[500])).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(small.body()).isEqualTo("took it");
  }
}
