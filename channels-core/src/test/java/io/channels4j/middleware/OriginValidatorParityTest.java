package io.channels4j.middleware;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.channels4j.Application;
import io.channels4j.PythonChannels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks every pattern against every origin with this OriginValidator and with the real Channels one
 * (Python subprocess), requiring the same verdicts. Needs {@code python3-django-channels}; skipped loudly
 * without it, failed with {@code CI=true}.
 */
class OriginValidatorParityTest {

  private static final List<List<String>> PATTERN_SETS =
      List.of(
          List.of("*"),
          List.of("http://example.com"),
          List.of("https://example.com"),
          List.of("https://example.com:443"),
          List.of("ws://example.com"),
          List.of("wss://example.com"),
          List.of("http://localhost:8000"),
          List.of("example.com"),
          List.of(".example.com"),
          List.of("https://.example.com"),
          List.of("HTTPS://Example.COM"),
          List.of("[::1]"),
          List.of("http://[::1]:8000"),
          List.of("chrome-extension://abcdef"),
          List.of("localhost", "127.0.0.1", "[::1]"),
          List.of("example.com", "http://example.com"),
          List.of());

  private static final List<String> ORIGINS =
      Arrays.asList(
          null, "null", "", "example.com",
          "http://example.com", "http://example.com:80", "http://example.com/", "http://EXAMPLE.com",
          "https://example.com", "https://example.com:443", "https://example.com:8443", "http://example.com:8080",
          "ws://example.com", "wss://example.com:443",
          "http://sub.example.com", "https://chat.example.com", "https://a.b.example.com:9000",
          "http://badexample.com", "http://example.com.evil.org", "http://other.com",
          "http://localhost", "http://localhost:8000", "http://localhost:8001", "http://127.0.0.1:5173",
          "http://[::1]", "http://[::1]:8000", "http://[::2]",
          "chrome-extension://abcdef", "chrome-extension://other",
          "http://user@example.com", "http://example.com:99999", "http://example.com:8o");

  @Test
  void allowsAndRejectsExactlyLikeChannels() throws Exception {
    List<List<Object>> cases = new ArrayList<>();
    for (List<String> patterns : PATTERN_SETS) {
      for (String origin : ORIGINS) {
        cases.add(Arrays.asList(patterns, origin));
      }
    }
    JsonNode verdicts = PythonChannels.run(OriginValidatorParityTest.class, "channels_origin_validator.py", cases);
    assertThat(verdicts).hasSize(cases.size());

    Application inner = (scope, receive, send) -> Application.done();
    List<String> mismatches = new ArrayList<>();
    int i = 0;
    for (List<String> patterns : PATTERN_SETS) {
      OriginValidator validator = OriginValidator.of(inner, patterns);
      for (String origin : ORIGINS) {
        boolean channels = verdicts.get(i++).asBoolean();
        if (validator.isAllowed(origin) != channels) {
          mismatches.add(patterns + " with origin " + origin + ": Channels " + (channels ? "allows" : "rejects"));
        }
      }
    }
    assertThat(mismatches).as("verdicts that differ from Channels, of %d", cases.size()).isEmpty();
  }
}
