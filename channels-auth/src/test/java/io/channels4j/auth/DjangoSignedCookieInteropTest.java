package io.channels4j.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.MissingTool;
import io.channels4j.testing.WebsocketCommunicator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SignedCookieSessionStore} against Debian's real Django ({@code /usr/bin/python3} with
 * python3-django; {@code PYTHON} overrides): a session Django's {@code signed_cookies} backend mints is read
 * in Java, and one Java mints is read by Django, both sharing a {@code SECRET_KEY}. Without Django the test
 * is skipped loudly; under {@code CI=true} that is a failure.
 */
class DjangoSignedCookieInteropTest {

  private static final String SECRET = "django-insecure-shared-by-both-sides-!@#";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration AGE = SessionMiddleware.DEFAULT_MAX_AGE;
  private static String python;

  @BeforeAll
  static void requireDjango() throws Exception {
    python = Optional.ofNullable(System.getenv("PYTHON")).orElse("/usr/bin/python3");
    boolean present = Files.isExecutable(Path.of(python))
        && new ProcessBuilder(python, "-c", "import django").redirectErrorStream(true).start().waitFor() == 0;
    if (!present) {
      MissingTool.skipOrFail("Django is not installed for " + python + ": the Django session interop test CANNOT RUN"
          + " (apt-get install -y python3-django)");
    }
  }

  private static String django(String mode, String secret, String stdin) throws IOException, InterruptedException {
    Path script = Path.of("src", "test", "python", "django_signed_cookie.py").toAbsolutePath();
    Process p = new ProcessBuilder(python, script.toString(), mode, secret).redirectErrorStream(true).start();
    p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("Django did not answer within 30 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.exitValue()).as("Django script output: %s", out).isZero();
    return out;
  }

  /** Data too small to compress (repeat 0), or compressible, with the characters JSON must escape. */
  private static Map<String, Object> sample(int repeat) {
    if (repeat == 0) {
      return Map.of("_auth_user_id", "17");
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("_auth_user_id", "17");
    data.put("_auth_user_backend", "django.contrib.auth.backends.ModelBackend");
    data.put("display", "Zoë 李 😀 </script> \"q\"");
    data.put("n", 3);
    data.put("items", List.of(true, "x".repeat(repeat)));
    return data;
  }

  @Test
  void aSessionDjangoMintsIsReadInJavaSmallAndCompressed() throws Exception {
    SignedCookieSessionStore store = new SignedCookieSessionStore(List.of(SECRET));
    for (int repeat : new int[] {0, 400}) {
      String cookie = django("mint", SECRET, JSON.writeValueAsString(sample(repeat)));
      assertThat(cookie.startsWith(".")).isEqualTo(repeat > 0);
      assertThat(SessionStoreContract.join(store.load(cookie, AGE))).contains(sample(repeat));
    }
  }

  @Test
  void aSessionJavaMintsIsReadByDjangoSmallAndCompressed() throws Exception {
    SignedCookieSessionStore store = new SignedCookieSessionStore(List.of(SECRET));
    for (int repeat : new int[] {0, 400}) {
      String cookie = SessionStoreContract.join(store.save(null, sample(repeat), AGE));
      assertThat(cookie.startsWith(".")).isEqualTo(repeat > 0);
      Map<String, Object> read = JSON.readValue(django("read", SECRET, cookie), JSON.getTypeFactory()
          .constructMapType(TreeMap.class, String.class, Object.class));
      assertThat(read).isEqualTo(new TreeMap<>(sample(repeat)));
    }
  }

  @Test
  void djangoRejectsJavaCookiesSignedWithAnotherKeyAndJavaRejectsDjangos() throws Exception {
    String javaCookie = SessionStoreContract.join(
        new SignedCookieSessionStore(List.of("another-key")).save(null, sample(1), AGE));
    assertThat(django("read", SECRET, javaCookie)).isEqualTo("{}");
    String djangoCookie = django("mint", "another-key", JSON.writeValueAsString(sample(1)));
    Application app = AuthTestApp.create(
        SessionMiddleware.builder(new SignedCookieSessionStore(List.of(SECRET)), List.of(SECRET)));
    assertThat(SessionStoreContract.ws(app, "sessionid=" + djangoCookie, "who")).isEqualTo("note=;user=anonymous");
  }

  @Test
  void aUserLoggedInOnTheDjangoSiteIsRecognisedByAJavaConsumer() throws Exception {
    // What django.contrib.auth.login stores in the session.
    String cookie = django("mint", SECRET, JSON.writeValueAsString(Map.of(
        "_auth_user_id", "17",
        "_auth_user_backend", "django.contrib.auth.backends.ModelBackend",
        "_auth_user_hash", "0123abcd")));
    Application app = AuthTestApp.create(
        SessionMiddleware.builder(new SignedCookieSessionStore(List.of(SECRET)), List.of(SECRET)));
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/",
        List.of(Header.of("cookie", "csrftoken=abc; sessionid=" + cookie)), List.of());
    assertThat(ws.connect(SessionStoreContract.WAIT).accepted()).isTrue();
    ws.sendTo("who");
    assertThat(ws.receiveFrom(SessionStoreContract.WAIT)).isEqualTo("note=;user=user17");
    ws.disconnect(1000, SessionStoreContract.WAIT);
  }

  @Test
  void aJavaLoginIsReadByDjangoAsItsOwnLoginKey() throws Exception {
    Application app = AuthTestApp.create(
        SessionMiddleware.builder(new SignedCookieSessionStore(List.of(SECRET)), List.of(SECRET)));
    String cookie = SessionStoreContract.sessionCookie(SessionStoreContract.get(app, "/login/?23", null));
    String read = django("read", SECRET, cookie.substring("sessionid=".length()));
    assertThat(JSON.readTree(read).get("_auth_user_id").asText()).isEqualTo("23");
  }
}
