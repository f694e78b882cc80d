package io.channels4j.testing;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import io.channels4j.Scope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Tests an HTTP application without a server: the Java form of Channels' {@code HttpCommunicator}.
 *
 * <pre>{@code
 * HttpCommunicator http = new HttpCommunicator(application, "GET", "/chat/");
 * HttpCommunicator.Response r = http.getResponse();
 * assertThat(r.status()).isEqualTo(200);
 * }</pre>
 *
 * <p>For streamed responses (server-sent events), call {@link #sendRequest()} and read each {@code
 * http.response.*} event with {@link #receiveOutput()}.
 */
public class HttpCommunicator extends ApplicationCommunicator {

  private final byte[] body;
  private boolean requestSent;

  /**
   * A request with no body and no headers.
   *
   * @param application the application
   * @param method the method
   * @param path the path
   */
  public HttpCommunicator(Application application, String method, String path) {
    this(application, method, path, new byte[0], List.of());
  }

  /**
   * A request to {@code path} (which may carry a {@code ?query}).
   *
   * @param application the application
   * @param method the method
   * @param path the path
   * @param body the body
   * @param headers the headers
   */
  public HttpCommunicator(Application application, String method, String path, byte[] body, List<Header> headers) {
    super(application, WebsocketCommunicator.builderFor(Scope.HTTP, path).method(method).headers(headers).build());
    this.body = body.clone();
  }

  /** A whole response. */
  public static final class Response {
    private final int status;
    private final List<Header> headers;
    private final byte[] body;

    Response(int status, List<Header> headers, byte[] body) {
      this.status = status;
      this.headers = List.copyOf(headers);
      this.body = body;
    }

    /** {@return the status code} */
    public int status() {
      return status;
    }

    /** {@return the response headers} */
    public List<Header> headers() {
      return headers;
    }

    /**
     * The first value of header {@code name}.
     *
     * @param name the name
     * @return the first value of header {@code name}
     */
    public Optional<String> header(String name) {
      return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).findFirst();
    }

    /** {@return the body bytes} */
    public byte[] body() {
      return body.clone();
    }

    /** {@return the body as UTF-8 text} */
    public String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return "Response(" + status + ", " + headers + ", " + body.length + " bytes)";
    }
  }

  /** Sends the request ({@code http.request} with the whole body), once. */
  public void sendRequest() {
    if (!requestSent) {
      requestSent = true;
      sendInput(Message.of("http.request", "body", body, "more_body", false));
    }
  }

  /**
   * Sends the request and reads the whole response, waiting up to 1 s for each event.
   *
   * @return the response: status, headers and body
   */
  public Response getResponse() {
    return getResponse(DEFAULT_TIMEOUT);
  }

  /**
   * Sends the request and reads the whole response.
   *
   * @param timeout how long to wait
   * @return the response: status, headers and body
   * @throws AssertionError if the application sends something else, or too late
   */
  public Response getResponse(Duration timeout) {
    sendRequest();
    Message start = receiveOutput(timeout);
    if (!"http.response.start".equals(start.type())) {
      throw new AssertionError("expected http.response.start, got " + start);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      Message chunk = receiveOutput(timeout);
      if (!"http.response.body".equals(chunk.type())) {
        throw new AssertionError("expected http.response.body, got " + chunk);
      }
      byte[] b = chunk.getBytes("body");
      if (b != null) {
        out.writeBytes(b);
      }
      if (!chunk.getBoolean("more_body", false)) {
        break;
      }
    }
    return new Response(start.getInt("status", 0), Header.fromMessageValue(start.asMap().get("headers")), out.toByteArray());
  }
}
