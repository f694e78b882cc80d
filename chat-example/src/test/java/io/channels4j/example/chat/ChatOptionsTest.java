package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.example.chat.ChatOptions.Layer;
import io.channels4j.example.chat.ChatOptions.UsageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatOptionsTest {

  private static ChatOptions parse(Map<String, String> env, String... args) {
    return ChatOptions.parse(args, env);
  }

  @Test
  void defaults() {
    ChatOptions o = ChatOptions.defaults();
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.port()).isEqualTo(8000);
    assertThat(o.layer()).isEqualTo(Layer.MEMORY);
    assertThat(o.redisUrl()).isEqualTo("redis://127.0.0.1:6379/0");
    assertThat(o.allowedHosts()).containsExactly("localhost", "127.0.0.1", "[::1]");
    assertThat(o.help()).isFalse();
    assertThat(o.indexUrl(8000)).isEqualTo("http://127.0.0.1:8000/chat/");
  }

  @Test
  void flagsInBothFormsBeatEnvironmentVariables() {
    Map<String, String> env = Map.of("CHAT_HOST", "0.0.0.0", "CHAT_PORT", "9000", "CHAT_LAYER", "redis",
        "REDIS_URL", "redis://r:1/2", "CHAT_ALLOWED_HOSTS", "a.example");
    ChatOptions fromEnv = parse(env);
    assertThat(fromEnv.host()).isEqualTo("0.0.0.0");
    assertThat(fromEnv.port()).isEqualTo(9000);
    assertThat(fromEnv.layer()).isEqualTo(Layer.REDIS);
    assertThat(fromEnv.redisUrl()).isEqualTo("redis://r:1/2");
    assertThat(fromEnv.allowedHosts()).containsExactly("a.example");
    assertThat(fromEnv.indexUrl(9000)).isEqualTo("http://127.0.0.1:9000/chat/");

    ChatOptions flags = parse(env, "--host", "chat.local", "--port=0", "--layer", "MEMORY",
        "--redis-url=rediss://h:6380", "--allowed-hosts", "Chat.Local, .example.com");
    assertThat(flags.host()).isEqualTo("chat.local");
    assertThat(flags.port()).isZero();
    assertThat(flags.layer()).isEqualTo(Layer.MEMORY);
    assertThat(flags.redisUrl()).isEqualTo("rediss://h:6380");
    assertThat(flags.allowedHosts()).containsExactly("chat.local", ".example.com");
  }

  @Test
  void defaultAllowedHostsIncludeANamedHost() {
    assertThat(parse(Map.of(), "--host", "chat.local").allowedHosts())
        .containsExactly("localhost", "127.0.0.1", "[::1]", "chat.local");
    assertThat(parse(Map.of(), "--host", "::1").allowedHosts()).containsExactly("localhost", "127.0.0.1", "[::1]");
    assertThat(parse(Map.of(), "--host", "::1").indexUrl(1)).isEqualTo("http://[::1]:1/chat/");
  }

  @Test
  void help() {
    assertThat(parse(Map.of(), "--help").help()).isTrue();
    assertThat(ChatOptions.HELP).contains("--host", "--port", "--layer", "--redis-url", "--allowed-hosts",
        "CHAT_HOST", "CHAT_PORT", "CHAT_LAYER", "REDIS_URL", "CHAT_ALLOWED_HOSTS");
  }

  @Test
  void badValuesNameTheirSourceAndQuoteTheValue() {
    List.of(
        List.of(new String[] {"--port", "eighty"}, "--port must be a port number 0-65535, got 'eighty'"),
        List.of(new String[] {"--port=70000"}, "got '70000'"),
        List.of(new String[] {"--layer", "kafka"}, "--layer must be 'memory' or 'redis', got 'kafka'"),
        List.of(new String[] {"--redis-url", "localhost:6379"}, "--redis-url must be a URL like redis://"),
        List.of(new String[] {"--allowed-hosts", "a,,b"}, "without empty entries, got 'a,,b'"),
        List.of(new String[] {"--colour", "red"}, "Unknown options: '--colour', 'red'"),
        List.of(new String[] {"--colour=red"}, "Unknown option: '--colour=red'"),
        List.of(new String[] {"--port"}, "Missing required parameter for option '--port' (PORT)"),
        List.of(new String[] {"serve"}, "Unmatched argument at index 0: 'serve'"),
        List.of(new String[] {"--host", " "}, "--host must be an address or host name"))
        .forEach(c -> assertThatThrownBy(() -> ChatOptions.parse((String[]) c.get(0), Map.of()))
            .isInstanceOf(UsageException.class)
            .hasMessageContaining((String) c.get(1)));
    assertThatThrownBy(() -> parse(Map.of("CHAT_PORT", "x"))).hasMessage("CHAT_PORT must be a port number 0-65535, got 'x'");
    assertThatThrownBy(() -> parse(Map.of("CHAT_LAYER", "x"))).hasMessageStartingWith("CHAT_LAYER must be");
  }

  @Test
  void identityAndGuardFlagsAndVariables() {
    ChatOptions d = ChatOptions.defaults();
    assertThat(d.secretKey()).isNull();
    assertThat(d.rateLimit()).isZero();
    assertThat(d.maxConnectionsPerIp()).isEqualTo(256);
    ChatOptions env = parse(Map.of("CHAT_SECRET_KEY", "0123456789abcdef-env", "CHAT_RATE_LIMIT", "5",
        "CHAT_MAX_CONNECTIONS_PER_IP", "7"));
    assertThat(env.secretKey()).isEqualTo("0123456789abcdef-env");
    assertThat(env.rateLimit()).isEqualTo(5);
    assertThat(env.maxConnectionsPerIp()).isEqualTo(7);
    ChatOptions flags = parse(Map.of("CHAT_RATE_LIMIT", "5"), "--secret-key=0123456789abcdef-flag", "--rate-limit",
        "10", "--max-connections-per-ip", "3");
    assertThat(flags.secretKey()).isEqualTo("0123456789abcdef-flag");
    assertThat(flags.rateLimit()).isEqualTo(10);
    assertThat(flags.maxConnectionsPerIp()).isEqualTo(3);
    assertThat(flags.toString()).doesNotContain("0123456789abcdef").contains("secretKey=given");
    assertThat(ChatOptions.HELP).contains("--secret-key", "--rate-limit", "--max-connections-per-ip",
        "CHAT_SECRET_KEY", "CHAT_RATE_LIMIT", "CHAT_MAX_CONNECTIONS_PER_IP");
  }

  @Test
  void badIdentityAndGuardValuesAreRefusedWithoutEchoingTheSecret() {
    assertThatThrownBy(() -> parse(Map.of(), "--secret-key", "short-secret"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--secret-key must be at least 16 characters (got 12)");
    assertThatThrownBy(() -> parse(Map.of("CHAT_RATE_LIMIT", "-1")))
        .hasMessage("CHAT_RATE_LIMIT must be a whole number, 0 for no limit, got '-1'");
    assertThatThrownBy(() -> parse(Map.of(), "--max-connections-per-ip", "many"))
        .hasMessage("--max-connections-per-ip must be a whole number, 0 for no limit, got 'many'");
  }

  @Test
  void metricsAreOffUnlessTheFlagOrVariableTurnsThemOn() {
    assertThat(ChatOptions.defaults().metrics()).isFalse();
    assertThat(parse(Map.of(), "--metrics").metrics()).isTrue();
    assertThat(parse(Map.of("CHAT_METRICS", "true")).metrics()).isTrue();
    assertThat(parse(Map.of("CHAT_METRICS", "off")).metrics()).isFalse();
    assertThatThrownBy(() -> parse(Map.of("CHAT_METRICS", "maybe")))
        .hasMessage("CHAT_METRICS must be true or false, got 'maybe'");
    assertThat(ChatOptions.HELP).contains("--metrics", "/metrics", "CHAT_METRICS");
  }
}
