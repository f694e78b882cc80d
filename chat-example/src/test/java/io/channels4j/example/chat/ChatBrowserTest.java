package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Channels tutorial's part 4 test, in Java: a real headless Chromium with two windows in one room
 * sees a message typed in one appear in both chat logs, and a window in another room sees nothing; a
 * window on {@code ?transport=sse} (and one on {@code ?transport=poll}) beside a WebSocket window sees
 * every message once, in order.
 * Uses Debian's {@code chromium} and {@code chromium-driver} (nothing is downloaded); skipped loudly
 * without them, failed without them under CI=true.
 */
class ChatBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static ChatServer server;
  private static WebDriver driver;
  private static Path profile;

  @BeforeAll
  static void start() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      String message = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
          + "; install them with: apt-get install -y chromium chromium-driver";
      if ("true".equals(System.getenv("CI"))) {
        Assertions.fail(message + " (CI=true: a missing browser is a failure, not a skip)");
      }
      System.err.println("SKIPPED (loudly): " + message);
      Assumptions.abort(message);
    }
    server = ChatServer.start(ChatOptions.parse(new String[] {"--port", "0"}, Map.of()));
    profile = Files.createTempDirectory("chat-browser-test-");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
        "--user-data-dir=" + profile);
    driver = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      if (driver != null) {
        driver.quit();
      }
    } finally {
      if (server != null) {
        server.close();
      }
      if (profile != null) {
        try (Stream<Path> s = Files.walk(profile)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  private static String base() {
    return "http://127.0.0.1:" + server.port();
  }

  /** Opens the index page in a new window and enters {@code room} the way a person does. */
  private static String enterRoomFromIndex(String room) {
    driver.switchTo().newWindow(WindowType.WINDOW);
    driver.get(base() + "/chat/");
    driver.findElement(By.id("room-name-input")).sendKeys(room + Keys.ENTER);
    new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().contains("/chat/") && !d.getCurrentUrl().endsWith("/chat/"));
    return awaitConnected();
  }

  private static String openRoomUrl(String rawPath) {
    driver.switchTo().newWindow(WindowType.WINDOW);
    driver.get(base() + rawPath);
    return awaitConnected();
  }

  private static String awaitConnected() {
    new WebDriverWait(driver, WAIT).until(d ->
        "true".equals(((JavascriptExecutor) d).executeScript("return document.body.dataset.connected || ''")));
    return driver.getWindowHandle();
  }

  private static void post(String window, String message) {
    driver.switchTo().window(window);
    driver.findElement(By.id("chat-message-input")).sendKeys(message + Keys.ENTER);
  }

  private static String log(String window) {
    driver.switchTo().window(window);
    return driver.findElement(By.id("chat-log")).getDomProperty("value");
  }

  private static void awaitLogContains(String window, String text) {
    driver.switchTo().window(window);
    new WebDriverWait(driver, WAIT)
        .withMessage(() -> "chat log of window " + window + " never showed '" + text + "'; it shows '" + log(window) + "'")
        .until(d -> log(window).contains(text));
  }

  /** Drops the browser's session cookie, so a test starts anonymous whatever ran before it. */
  private static void forgetSession() {
    driver.get(base() + "/chat/");
    driver.manage().deleteAllCookies();
  }

  @Test
  void aDisplayNameSetInOneWindowShowsBesideItsMessagesInTheOther() {
    forgetSession();
    try {
      driver.switchTo().newWindow(WindowType.WINDOW);
      driver.get(base() + "/chat/");
      assertThat(driver.findElement(By.id("display-name-current")).getText()).contains("anonymously");
      driver.findElement(By.id("display-name-input")).sendKeys("Ada 李");
      driver.findElement(By.id("display-name-submit")).click();
      // The POST redirects back to the index page: the old page's element goes stale meanwhile.
      new WebDriverWait(driver, WAIT).withMessage(() -> "the index page never showed the new name")
          .ignoring(StaleElementReferenceException.class)
          .until(d -> d.findElement(By.id("display-name-current")).getText().equals("Ada 李"));
      driver.findElement(By.id("room-name-input")).sendKeys("names" + Keys.ENTER);
      new WebDriverWait(driver, WAIT).until(d -> d.getCurrentUrl().endsWith("/chat/names/"));
      String named = awaitConnected();
      String other = openRoomUrl("/chat/names/");

      post(named, "hello, I have a name");
      awaitLogContains(other, "Ada 李: hello, I have a name\n");
      awaitLogContains(named, "Ada 李: hello, I have a name\n");
    } finally {
      forgetSession();
    }
  }

  @Test
  void aMessageTypedInOneWindowAppearsInBothAndNotInAnotherRoom() {
    forgetSession();
    String room = "聊天室 lobby";
    String first = enterRoomFromIndex(room);
    assertThat(driver.getTitle()).isEqualTo(room + " - Chat Room");
    String second = openRoomUrl("/chat/%E8%81%8A%E5%A4%A9%E5%AE%A4%20lobby/");
    String other = openRoomUrl("/chat/room_2/");

    post(first, "hello from one");
    awaitLogContains(first, "hello from one\n");
    awaitLogContains(second, "hello from one\n");

    post(second, "hello from two");
    awaitLogContains(second, "hello from two\n");
    awaitLogContains(first, "hello from two\n");

    // The other room's window shares the server and the layer; what reached the room has reached it too if it ever would.
    post(other, "only here");
    awaitLogContains(other, "only here\n");
    assertThat(log(other)).isEqualTo("only here\n");
    assertThat(log(first)).isEqualTo("hello from one\nhello from two\n");
  }

  @Test
  void aServerSentEventsWindowAndAPollingWindowChatWithAWebSocketWindow() {
    forgetSession();
    String ws = openRoomUrl("/chat/mixed_browser/");
    String sse = openRoomUrl("/chat/mixed_browser/?transport=sse");
    String poll = openRoomUrl("/chat/mixed_browser/?transport=poll");
    assertThat(driver.getTitle()).isEqualTo("mixed_browser - Chat Room");

    post(ws, "typed over websocket");
    awaitLogContains(sse, "typed over websocket\n");
    post(sse, "typed beside server-sent events");
    awaitLogContains(ws, "typed beside server-sent events\n");
    post(poll, "typed beside long polling");
    String all = "typed over websocket\ntyped beside server-sent events\ntyped beside long polling\n";
    for (String window : new String[] {ws, sse, poll}) {
      awaitLogContains(window, "typed beside long polling\n");
      assertThat(log(window)).as("window %s", window).isEqualTo(all);
    }
  }
}
