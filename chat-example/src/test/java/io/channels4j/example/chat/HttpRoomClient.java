package io.channels4j.example.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A room's HTTP transports as a client uses them, over real connections: posting ({@code messages/}),
 * long polling ({@code poll/}) and a server-sent events stream ({@code events/}) read line by line as
 * the bytes arrive.
 */
final class HttpRoomClient {

  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration TIMEOUT = WsClient.TIMEOUT;

  private final HttpClient http;
  private final String base;
  private final String room;

  HttpRoomClient(HttpClient http, int port, String room) {
    this.http = http;
    this.base = "http://127.0.0.1:" + port;
    this.room = room;
  }

  String roomPath() {
    return "/chat/" + URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20") + "/";
  }

  /** POSTs {@code {"message": text}} with the page's own Origin; returns the status. */
  int post(String text) throws Exception {
    return post(JSON.writeValueAsString(Map.of("message", text)), "application/json", base).statusCode();
  }

  HttpResponse<String> post(String body, String contentType, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + roomPath() + "messages/")).timeout(TIMEOUT)
        .header("content-type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
    if (origin != null) {
      b.header("origin", origin);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One poll: {@code after} may be null, {@code timeoutSeconds} null for the default. */
  CompletableFuture<HttpResponse<String>> pollAsync(String after, String timeoutSeconds) {
    List<String> query = new ArrayList<>();
    if (after != null) {
      query.add("after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
    }
    if (timeoutSeconds != null) {
      query.add("timeout=" + timeoutSeconds);
    }
    URI uri = URI.create(base + roomPath() + "poll/" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
    return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(70)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  JsonNode poll(String after, String timeoutSeconds) throws Exception {
    HttpResponse<String> r = pollAsync(after, timeoutSeconds).get(70, TimeUnit.SECONDS);
    if (r.statusCode() != 200) {
      throw new AssertionError("poll answered " + r.statusCode() + ": " + r.body());
    }
    return JSON.readTree(r.body());
  }

  /** Polls from {@code cursor} until {@code count} messages came; returns their texts in order. */
  List<String> pollUntil(String cursor, int count, List<String> cursors) throws Exception {
    List<String> texts = new ArrayList<>();
    String c = cursor;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (texts.size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("polling got only " + texts + " of " + count + " messages");
      }
      JsonNode answer = poll(c, "5");
      if (answer.get("gap").asBoolean()) {
        throw new AssertionError("unexpected gap after cursor " + c + ": " + answer);
      }
      answer.get("messages").forEach(m -> texts.add(m.get("message").asText()));
      c = answer.get("cursor").asText();
    }
    cursors.add(c);
    return texts;
  }

  /** Opens the event stream; {@code lastEventId} may be null. Returns once the 200 and its headers came. */
  EventStream events(String lastEventId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + roomPath() + "events/"))
        .header("accept", "text/event-stream").GET();
    if (lastEventId != null) {
      b.header("last-event-id", lastEventId);
    }
    EventStream stream = new EventStream();
    // ofPublisher completes with the headers; the body then flows to the stream as it arrives.
    HttpResponse<Flow.Publisher<List<ByteBuffer>>> response = http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofPublisher())
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    response.body().subscribe(stream);
    if (response.statusCode() != 200
        || !response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream")) {
      throw new AssertionError("events/ answered " + response.statusCode() + " " + response.headers().map());
    }
    stream.awaitFirstComment();
    return stream;
  }

  /** One server-sent event as received. */
  record Event(String id, String event, String data) {
    String message() throws Exception {
      return JSON.readTree(data).get("message").asText();
    }
  }

  /**
   * A server-sent events stream, parsed line by line as the bytes arrive (the JDK's line subscriber holds
   * a line back until the next one starts, which would hide exactly the buffering this client checks).
   */
  static final class EventStream implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> firstComment = new CompletableFuture<>();
    private volatile Flow.Subscription subscription;
    private String id;
    private String event;
    private StringBuilder data;

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        while (b.hasRemaining()) {
          byte c = b.get();
          if (c == '\n') {
            String line = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            line(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
          } else {
            pending.write(c);
          }
        }
      }
    }

    private void line(String line) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(id, event, data.toString()));
        }
        id = null;
        event = null;
        data = null;
      } else if (line.startsWith(":")) {
        firstComment.complete(null);
      } else if (line.startsWith("id: ")) {
        id = line.substring(4);
      } else if (line.startsWith("event: ")) {
        event = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = (data == null ? new StringBuilder() : data.append('\n')).append(line.substring(6));
      }
    }

    @Override
    public void onError(Throwable t) {
      firstComment.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      firstComment.completeExceptionally(new IllegalStateException("the stream ended"));
    }

    void awaitFirstComment() throws Exception {
      firstComment.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next event, failing after the timeout. */
    Event next() throws InterruptedException {
      Event e = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (e == null) {
        throw new AssertionError("no server-sent event within " + TIMEOUT);
      }
      return e;
    }

    /** Disconnects. */
    @Override
    public void close() {
      Flow.Subscription s = subscription;
      if (s != null) {
        s.cancel();
      }
    }
  }
}
