package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.UrlRoute;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.testing.HttpCommunicator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PagesTest {

  private static Application room(String roomName) {
    Application app = AsyncConsumer.asApplication(RoomConsumer::new);
    return (scope, receive, send) ->
        app.handle(scope.with("url_route", new UrlRoute(List.of(), Map.of("room_name", roomName))), receive, send);
  }

  @Test
  void indexPageHasTheTutorialsInputs() {
    HttpCommunicator.Response r = new HttpCommunicator(AsyncConsumer.asApplication(IndexConsumer::new), "GET", "/chat/").getResponse();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("content-type")).contains("text/html; charset=utf-8");
    assertThat(r.bodyText()).contains("id=\"room-name-input\"", "id=\"room-name-submit\"", "encodeURIComponent(roomName)");
  }

  @Test
  void roomPageCarriesTheRoomNameAsEscapedJson() {
    HttpCommunicator.Response r = new HttpCommunicator(room("聊天室"), "GET", "/chat/x/").getResponse();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText())
        .contains("id=\"chat-log\"", "id=\"chat-message-input\"", "id=\"chat-message-submit\"")
        .contains("<script id=\"room-name\" type=\"application/json\">\"聊天室\"</script>")
        .contains("encodeURIComponent(roomName)");
  }

  @Test
  void aRoomNameCannotBreakOutOfItsScriptElement() {
    String evil = "</script><script>alert(1)</script>&\u2028";
    String body = new HttpCommunicator(room(evil), "GET", "/chat/x/").getResponse().bodyText();
    assertThat(body).doesNotContain("alert(1)</script>").doesNotContain("</script><script>alert");
    assertThat(body).contains("\"\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E\\u0026\\u2028\"");
  }

  @Test
  void otherMethodsGet405() {
    HttpCommunicator.Response r = new HttpCommunicator(room("lobby"), "POST", "/chat/lobby/").getResponse();
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("allow")).contains("GET, HEAD");
  }
}
