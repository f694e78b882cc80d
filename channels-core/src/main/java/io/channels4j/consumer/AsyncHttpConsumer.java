package io.channels4j.consumer;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Message;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * An HTTP consumer with a streamed response, for plain endpoints, server-sent events and long polling.
 *
 * <p>The request body is gathered and passed to {@link #handle(byte[])}. The response is sent with
 * {@link #sendHeaders}, then {@link #sendBody(byte[], boolean)} chunks. The consumer stays alive until it
 * sends the last chunk ({@code moreBody = false}) or the client goes away, so channel-layer handlers can
 * keep streaming, e.g. one event per group message:
 *
 * <pre>{@code
 * public class EventsConsumer extends AsyncHttpConsumer {
 *   public CompletionStage<Void> handle(byte[] body) {
 *     return channelLayer().groupAdd("news", channelName())
 *         .thenCompose(v -> sendHeaders(200, List.of(Header.of("content-type", "text/event-stream"))))
 *         .thenCompose(v -> sendBody(new byte[0], true));
 *   }
 *   public CompletionStage<Void> newsItem(Message m) {
 *     return sendBody(("data: " + m.getString("text") + "\n\n").getBytes(UTF_8), true);
 *   }
 * }
 * }</pre>
 *
 * <p><b>Lifecycle, compared with Channels.</b> Channels stops the consumer and calls {@code disconnect()} as
 * soon as {@code handle()} returns, so the long-poll example of its docs (a handler for the group message
 * sends the body) never gets that message. Here {@link #disconnect()} runs, and the consumer stops, when the
 * last chunk is sent or the client goes away, whichever comes first; a {@code handle()} that answers at once
 * therefore behaves as in Channels, and the long poll works. Leave groups in {@code disconnect()}.
 */
public abstract class AsyncHttpConsumer extends AsyncConsumer {

  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private boolean responseStarted;

  /** Creates a consumer. */
  protected AsyncHttpConsumer() {}

  /**
   * Handles the whole request body; must send a response, at once or later.
   *
   * @param body the body
   * @return a stage that completes when this is done
   */
  public abstract CompletionStage<Void> handle(byte[] body);

  /**
   * Handles {@code http.request}: gathers the body; when complete, calls {@link #handle(byte[])}.
   *
   * @param message the message
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> httpRequest(Message message) {
    byte[] chunk = message.getBytes("body");
    if (chunk != null) {
      body.writeBytes(chunk);
    }
    if (message.getBoolean("more_body", false)) {
      return Application.done();
    }
    return handle(body.toByteArray());
  }

  /**
   * Handles {@code http.disconnect}: calls {@link #disconnect()} and stops.
   *
   * @param message the message
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> httpDisconnect(Message message) {
    return finish();
  }

  /**
   * Called when the response is complete or the client went away. Does nothing by default.
   *
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> disconnect() {
    return Application.done();
  }

  /**
   * Starts the response.
   *
   * @param status the HTTP status code
   * @param headers the headers
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> sendHeaders(int status, List<Header> headers) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("HTTP status must be 100-999, got " + status);
    }
    responseStarted = true;
    return send(Message.of("http.response.start", "status", status, "headers", Header.toMessageValue(headers)));
  }

  /**
   * Sends a body chunk; {@code moreBody = false} ends the response (and this consumer).
   *
   * @param chunk the body chunk
   * @param moreBody whether more chunks follow
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> sendBody(byte[] chunk, boolean moreBody) {
    if (!responseStarted) {
      throw new IllegalStateException("sendHeaders must come before sendBody");
    }
    CompletionStage<Void> sent = send(Message.of("http.response.body", "body", chunk, "more_body", moreBody));
    return moreBody ? sent : sent.thenCompose(v -> finish());
  }

  /**
   * Sends a whole response in one go.
   *
   * @param status the HTTP status code
   * @param body the body
   * @param headers the headers
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> sendResponse(int status, byte[] body, List<Header> headers) {
    return sendHeaders(status, headers).thenCompose(v -> sendBody(body, false));
  }

  @Override
  protected CompletionStage<Void> onError(Throwable error) {
    if (responseStarted) {
      return Application.done(); // too late for a status: the server ends the response
    }
    return sendResponse(500, "Internal Server Error".getBytes(StandardCharsets.UTF_8),
        List.of(Header.of("content-type", "text/plain; charset=utf-8")));
  }

  private CompletionStage<Void> finish() {
    return disconnect().whenComplete((v, e) -> stop());
  }
}
