package io.channels4j.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Header;
import io.channels4j.Scope;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.consumer.AsyncWebsocketConsumer;
import io.channels4j.testing.ApplicationCommunicator;
import io.channels4j.testing.WebsocketCommunicator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** OriginValidator and AllowedHostsOriginValidator: each origin rule, through a WebsocketCommunicator. */
class OriginValidatorTest {

  /** Accepts and says which origin it saw. */
  public static class Hello extends AsyncWebsocketConsumer {
    @Override
    public CompletionStage<Void> connect() {
      return accept().thenCompose(v -> send("hello " + scope().header("origin").orElse("(none)")));
    }
  }

  private static final Application HELLO = AsyncConsumer.asApplication(Hello::new);

  /** True if a handshake with these Origin headers gets through to the consumer. */
  private static boolean connects(Application app, String... origins) {
    List<Header> headers = new ArrayList<>();
    for (String o : origins) {
      headers.add(Header.of("Origin", o));
    }
    WebsocketCommunicator ws = new WebsocketCommunicator(app, "/ws/", headers, List.of());
    WebsocketCommunicator.Connection c = ws.connect();
    if (c.accepted()) {
      assertThat(ws.receiveFrom()).startsWith("hello ");
      ws.disconnect();
      return true;
    }
    ws.await(); // a rejection ends the application cleanly
    return false;
  }

  private static Application allowing(String... patterns) {
    return OriginValidator.of(HELLO, List.of(patterns));
  }

  @Test
  void schemeHostPatternNeedsSchemeHostAndPortToMatchWithDefaultPorts() {
    Application app = allowing("http://example.com");
    assertThat(connects(app, "http://example.com")).isTrue();
    assertThat(connects(app, "http://example.com:80")).isTrue();
    assertThat(connects(app, "http://example.com/")).isTrue();
    assertThat(connects(app, "https://example.com")).isFalse();
    assertThat(connects(app, "http://example.com:8080")).isFalse();
    assertThat(connects(app, "http://sub.example.com")).isFalse();
    assertThat(connects(app, "http://other.com")).isFalse();
    assertThat(connects(app, "http://example.com.evil.org")).isFalse();
  }

  @Test
  void secureSchemesDefaultTo443AndWsSchemesAreTheirOwn() {
    assertThat(connects(allowing("https://example.com"), "https://example.com:443")).isTrue();
    assertThat(connects(allowing("https://example.com:443"), "https://example.com")).isTrue();
    assertThat(connects(allowing("wss://example.com"), "wss://example.com:443")).isTrue();
    assertThat(connects(allowing("ws://example.com"), "ws://example.com:80")).isTrue();
    assertThat(connects(allowing("wss://example.com"), "https://example.com")).isFalse();
    assertThat(connects(allowing("https://example.com"), "https://example.com:80")).isFalse();
  }

  @Test
  void explicitPortMustMatch() {
    Application app = allowing("http://localhost:8000");
    assertThat(connects(app, "http://localhost:8000")).isTrue();
    assertThat(connects(app, "http://localhost")).isFalse();
    assertThat(connects(app, "http://localhost:8001")).isFalse();
  }

  @Test
  void bareHostMatchesAnySchemeAndPortButNotSubdomains() {
    Application app = allowing("example.com");
    assertThat(connects(app, "http://example.com")).isTrue();
    assertThat(connects(app, "https://example.com:8443")).isTrue();
    assertThat(connects(app, "http://sub.example.com")).isFalse();
    assertThat(connects(app, "http://notexample.com")).isFalse();
  }

  @Test
  void leadingDotMatchesTheDomainAndItsSubdomains() {
    Application app = allowing(".example.com");
    assertThat(connects(app, "http://example.com")).isTrue();
    assertThat(connects(app, "https://chat.example.com")).isTrue();
    assertThat(connects(app, "https://a.b.example.com:9000")).isTrue();
    assertThat(connects(app, "http://badexample.com")).isFalse();
    assertThat(connects(app, "http://example.com.evil.org")).isFalse();

    Application secure = allowing("https://.example.com");
    assertThat(connects(secure, "https://chat.example.com")).isTrue();
    assertThat(connects(secure, "https://example.com")).isTrue();
    assertThat(connects(secure, "http://chat.example.com")).isFalse();
  }

  @Test
  void wildcardAllowsEverythingIncludingAMissingOrigin() {
    Application app = allowing("*");
    assertThat(connects(app, "http://anything.test:1234")).isTrue();
    assertThat(connects(app, "null")).isTrue();
    assertThat(connects(app)).isTrue();
  }

  @Test
  void aMissingOrHostlessOriginIsRejectedWithoutWildcard() {
    Application app = allowing("example.com", "http://example.com");
    assertThat(connects(app)).isFalse();
    assertThat(connects(app, "null")).isFalse();
    assertThat(connects(app, "example.com")).as("no scheme, so no host").isFalse();
    assertThat(connects(app, "")).isFalse();
  }

  @Test
  void matchingIsCaseInsensitive() {
    assertThat(connects(allowing("HTTPS://Example.COM"), "https://EXAMPLE.com")).isTrue();
    assertThat(connects(allowing(".Example.com"), "HTTP://Chat.EXAMPLE.COM")).isTrue();
  }

  @Test
  void ipv6HostsAreWrittenInBrackets() {
    assertThat(connects(allowing("[::1]"), "http://[::1]:8000")).isTrue();
    assertThat(connects(allowing("http://[::1]:8000"), "http://[::1]:8000")).isTrue();
    assertThat(connects(allowing("http://[::1]:8000"), "http://[::1]")).isFalse();
    assertThat(connects(allowing("[::1]"), "http://[::2]")).isFalse();
  }

  @Test
  void otherSchemesWithoutDefaultPortsMatchExactly() {
    Application app = allowing("chrome-extension://abcdef");
    assertThat(connects(app, "chrome-extension://abcdef")).isTrue();
    assertThat(connects(app, "chrome-extension://other")).isFalse();
  }

  @Test
  void anInvalidPortInTheOriginNeverMatchesASchemePattern() {
    assertThat(connects(allowing("http://example.com"), "http://example.com:99999")).isFalse();
    assertThat(connects(allowing("http://example.com"), "http://example.com:8o")).isFalse();
  }

  @Test
  void theLastOriginHeaderCounts() {
    Application app = allowing("http://good.test");
    assertThat(connects(app, "http://evil.test", "http://good.test")).isTrue();
    assertThat(connects(app, "http://good.test", "http://evil.test")).isFalse();
  }

  @Test
  void anEmptyListRejectsEveryone() {
    assertThat(connects(allowing(), "http://localhost")).isFalse();
  }

  @Test
  void theInnerApplicationSeesTheScopeUnchanged() {
    WebsocketCommunicator ws =
        new WebsocketCommunicator(allowing("example.com"), "/ws/", List.of(Header.of("origin", "http://example.com")), List.of());
    assertThat(ws.connect().accepted()).isTrue();
    assertThat(ws.receiveFrom()).isEqualTo("hello http://example.com");
    ws.disconnect();
  }

  @Test
  void nonWebsocketScopesFail() {
    ApplicationCommunicator http =
        new ApplicationCommunicator(allowing("*"), Scope.builder(Scope.HTTP).path("/").build());
    assertThatThrownBy(http::await)
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("OriginValidator only handles 'websocket' scopes, got a 'http' scope");
  }

  @Test
  void malformedPatternsFailWhenBuilt() {
    for (String bad : List.of("localhost:8000", "", " ", "http://", "http://example.com/chat", "http://example.com:abc",
        "[::1", "example.com/x")) {
      assertThatThrownBy(() -> allowing(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("allowed origin pattern '" + bad + "' must be '*', a host");
    }
  }

  @Test
  void isAllowedAnswersForAHeaderValue() {
    OriginValidator v = OriginValidator.of(HELLO, List.of(".example.com"));
    assertThat(v.isAllowed("https://www.example.com")).isTrue();
    assertThat(v.isAllowed(null)).isFalse();
    assertThat(v.allowedOrigins()).containsExactly(".example.com");
  }

  // --- AllowedHostsOriginValidator ------------------------------------------------------------------

  @Test
  void allowedHostsAreBareHostPatterns() {
    Application app = AllowedHostsOriginValidator.of(HELLO, List.of("chat.example.com", ".example.org"));
    assertThat(connects(app, "https://chat.example.com")).isTrue();
    assertThat(connects(app, "http://chat.example.com:8000")).isTrue();
    assertThat(connects(app, "https://www.example.org")).isTrue();
    assertThat(connects(app, "https://example.com")).isFalse();
    assertThat(connects(app)).isFalse();
  }

  @Test
  void debugWithNoHostsAllowsLocalhostOnly() {
    Application app = AllowedHostsOriginValidator.of(HELLO, List.of(), true);
    assertThat(connects(app, "http://localhost:8000")).isTrue();
    assertThat(connects(app, "http://127.0.0.1:5173")).isTrue();
    assertThat(connects(app, "http://[::1]:8000")).isTrue();
    assertThat(connects(app, "http://example.com")).isFalse();
    assertThat(connects(app)).isFalse();
  }

  @Test
  void withoutDebugAnEmptyHostListRejectsEveryoneAndDebugDoesNotWidenAGivenList() {
    assertThat(connects(AllowedHostsOriginValidator.of(HELLO, List.of()), "http://localhost")).isFalse();
    Application debugWithHosts = AllowedHostsOriginValidator.of(HELLO, List.of("example.com"), true);
    assertThat(connects(debugWithHosts, "http://localhost")).isFalse();
    assertThat(connects(debugWithHosts, "http://example.com")).isTrue();
    assertThat(connects(AllowedHostsOriginValidator.of(HELLO, List.of("*")))).isTrue();
  }
}
