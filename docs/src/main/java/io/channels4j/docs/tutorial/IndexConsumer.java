package io.channels4j.docs.tutorial;

// tag::index[]
import io.channels4j.Header;
import io.channels4j.consumer.AsyncHttpConsumer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The index page: asks for a room name and opens that room's page. */
public class IndexConsumer extends AsyncHttpConsumer {

  static final String PAGE = """
      <!DOCTYPE html>
      <html><body>
        What chat room would you like to enter?<br>
        <input id="room-name-input" type="text" size="100"><br>
        <input id="room-name-submit" type="button" value="Enter">
        <script>
          document.querySelector('#room-name-submit').onclick = function (e) {
            var roomName = document.querySelector('#room-name-input').value;
            window.location.pathname = '/chat/' + encodeURIComponent(roomName) + '/';
          };
        </script>
      </body></html>
      """;

  @Override
  public CompletionStage<Void> handle(byte[] body) {
    return sendResponse(200, PAGE.getBytes(StandardCharsets.UTF_8),
        List.of(Header.of("content-type", "text/html; charset=utf-8")));
  }
}
// end::index[]
