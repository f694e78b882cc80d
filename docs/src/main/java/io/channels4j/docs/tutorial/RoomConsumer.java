package io.channels4j.docs.tutorial;

import io.channels4j.Header;
import io.channels4j.consumer.AsyncHttpConsumer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The room page: a message log, an input, and a WebSocket to {@code /ws/chat/<room>/}. */
public class RoomConsumer extends AsyncHttpConsumer {

  // tag::room-page[]
  static final String PAGE = """
      <!DOCTYPE html>
      <html><body>
        <textarea id="chat-log" cols="100" rows="20"></textarea><br>
        <input id="chat-message-input" type="text" size="100"><br>
        <input id="chat-message-submit" type="button" value="Send">
        <script>
          const chatSocket = new WebSocket(
              'ws://' + window.location.host + '/ws' + window.location.pathname);
          chatSocket.onmessage = function (e) {
            const data = JSON.parse(e.data);
            document.querySelector('#chat-log').value += (data.message + '\\n');
          };
          document.querySelector('#chat-message-submit').onclick = function (e) {
            const input = document.querySelector('#chat-message-input');
            chatSocket.send(JSON.stringify({'message': input.value}));
            input.value = '';
          };
        </script>
      </body></html>
      """;
  // end::room-page[]

  @Override
  public CompletionStage<Void> handle(byte[] body) {
    return sendResponse(200, PAGE.getBytes(StandardCharsets.UTF_8),
        List.of(Header.of("content-type", "text/html; charset=utf-8")));
  }
}
