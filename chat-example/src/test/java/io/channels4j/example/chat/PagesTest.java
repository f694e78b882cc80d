package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Application;
import io.channels4j.testing.HttpCommunicator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The pages through the whole application's routing, driven by {@link HttpCommunicator}. */
class PagesTest {

  private final Application app = ChatApplication.create(ChatOptions.LOCAL_HOSTS);

  private HttpCommunicator.Response get(String path) {
    return new HttpCommunicator(app, "GET", path).getResponse();
  }

  private static String roomPath(String room) {
    return "/chat/" + URLEncoder.encode(room, StandardCharsets.UTF_8).replace("+", "%20") + "/";
  }

  @Test
  void indexPageHasTheTutorialsInputs() {
    for (String path : new String[] {"/chat/", "/"}) {
      HttpCommunicator.Response r = get(path);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).contains("text/html; charset=utf-8");
      assertThat(r.bodyText()).contains("id=\"room-name-input\"", "id=\"room-name-submit\"", "encodeURIComponent(roomName)");
    }
  }

  @Test
  void roomPageCarriesTheRoomNameAsJson() {
    for (String room : new String[] {"lobby", "聊天室", "two words", "a/b", "?#%"}) {
      HttpCommunicator.Response r = get(roomPath(room));
      assertThat(r.status()).as(room).isEqualTo(200);
      assertThat(r.bodyText())
          .contains("id=\"chat-log\"", "id=\"chat-message-input\"", "id=\"chat-message-submit\"")
          .contains("<script id=\"room-name\" type=\"application/json\">" + Pages.jsonScript(room) + "</script>")
          .contains("encodeURIComponent(roomName)");
    }
    assertThat(get(roomPath("聊天室")).bodyText()).contains(">\"聊天室\"</script>");
  }

  @Test
  void aRoomNameCannotBreakOutOfItsScriptElement() {
    String evil = "</script><script>alert(1)</script>&";
    HttpCommunicator.Response r = get(roomPath(evil));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.bodyText()).doesNotContain("</script><script>alert");
    assertThat(r.bodyText()).contains("\"\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E\\u0026\"");
    assertThat(Pages.jsonScript("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
  }

  @Test
  void otherMethodsGet405AndOtherPaths404() {
    HttpCommunicator.Response r = new HttpCommunicator(app, "POST", "/chat/lobby/").getResponse();
    assertThat(r.status()).isEqualTo(405);
    assertThat(r.header("allow")).contains("GET, HEAD");
    assertThat(get("/admin/").status()).isEqualTo(404);
  }

  @Test
  void aRoomUrlWithoutItsSlashIsRedirected() {
    HttpCommunicator.Response r = get("/chat/%E8%81%8A%20x?a=1");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.header("location")).contains("/chat/%E8%81%8A%20x/?a=1");
    assertThat(get("//chat/x").header("location")).contains("/chat/x/");
  }
}
