package io.channels4j.docs.tutorial;

/** The tutorial's two pages: the index, which asks for a room, and the room, which chats over a WebSocket. */
public final class Pages {

  private Pages() {}

  // tag::index[]
  /** Asks for a room name and opens that room's page. */
  public static final String INDEX = """
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
  // end::index[]

  // tag::room[]
  /** A message log, an input, and a WebSocket to {@code /ws/chat/<room>/}. */
  public static final String ROOM = """
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
  // end::room[]
}
