package io.channels4j;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about one connection: the Java form of an ASGI scope. Immutable; middleware and routers
 * derive new scopes with {@link #with(String, Object)}.
 *
 * <p>Typed accessors cover the ASGI keys ({@code type}, {@code path}, {@code headers}, ...) and the keys
 * Channels adds ({@code url_route}, {@code channel}); {@link #get(String)} reads any other key, such as
 * {@code user}, {@code session} or {@code cookies} put there by middleware.
 */
public final class Scope {

  /** Scope type of an HTTP request. */
  public static final String HTTP = "http";
  /** Scope type of a WebSocket connection. */
  public static final String WEBSOCKET = "websocket";
  /** Scope type of a worker consuming a named channel. */
  public static final String CHANNEL = "channel";

  private final Map<String, Object> values;

  private Scope(Map<String, Object> values) {
    this.values = values;
  }

  /**
   * Starts a builder for a scope of {@code type} ({@code "http"}, {@code "websocket"}, ...).
   *
   * @param type the type
   * @return a new builder
   */
  public static Builder builder(String type) {
    return new Builder(type);
  }

  /** {@return the scope type: {@code "http"}, {@code "websocket"}, {@code "channel"}, ...} */
  public String type() {
    return (String) values.get("type");
  }

  /** {@return the percent-decoded request path, e.g. {@code /ws/chat/lobby/}; empty for channel scopes} */
  public String path() {
    return (String) values.getOrDefault("path", "");
  }

  /** {@return the path as sent on the wire, still percent-encoded} */
  public String rawPath() {
    return (String) values.getOrDefault("raw_path", path());
  }

  /** {@return the query string, still percent-encoded, without the {@code ?}} */
  public String queryString() {
    return (String) values.getOrDefault("query_string", "");
  }

  /** {@return the root path the application is mounted at ({@code ""} by default)} */
  public String rootPath() {
    return (String) values.getOrDefault("root_path", "");
  }

  /** {@return {@code http}, {@code https}, {@code ws} or {@code wss}} */
  public String scheme() {
    return (String) values.getOrDefault("scheme", WEBSOCKET.equals(type()) ? "ws" : "http");
  }

  /** {@return the HTTP method, upper case ({@code GET} for WebSocket handshakes)} */
  public String method() {
    return (String) values.getOrDefault("method", "GET");
  }

  /** {@return the HTTP version: {@code 1.0}, {@code 1.1} or {@code 2}} */
  public String httpVersion() {
    return (String) values.getOrDefault("http_version", "1.1");
  }

  /** {@return the request headers, names lower-cased, in the order received} */
  @SuppressWarnings("unchecked")
  public List<Header> headers() {
    return (List<Header>) values.getOrDefault("headers", List.of());
  }

  /**
   * The first value of header {@code name} (case-insensitive).
   *
   * @param name the name
   * @return the first value of header {@code name} (case-insensitive)
   */
  public Optional<String> header(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (Header h : headers()) {
      if (h.name().equals(n)) {
        return Optional.of(h.value());
      }
    }
    return Optional.empty();
  }

  /** {@return the client's address, if the server knows it} */
  public Optional<InetSocketAddress> client() {
    return Optional.ofNullable((InetSocketAddress) values.get("client"));
  }

  /** {@return the server's address, if known} */
  public Optional<InetSocketAddress> server() {
    return Optional.ofNullable((InetSocketAddress) values.get("server"));
  }

  /** {@return the subprotocols the WebSocket client offered, in its order} */
  @SuppressWarnings("unchecked")
  public List<String> subprotocols() {
    return (List<String>) values.getOrDefault("subprotocols", List.of());
  }

  /** {@return what URL routing captured; empty before routing} */
  public UrlRoute urlRoute() {
    return (UrlRoute) values.getOrDefault("url_route", UrlRoute.EMPTY);
  }

  /**
   * For {@code channel} scopes, the channel a worker consumes.
   *
   * @return the channel, or empty for other scopes
   */
  public Optional<String> channel() {
    return Optional.ofNullable((String) values.get("channel"));
  }

  /**
   * The version of the ASGI protocol spec ({@code http} or {@code websocket}) the server implements: ASGI's
   * {@code scope["asgi"]["spec_version"]}, or a top-level {@code spec_version} (where Channels'
   * {@code WebsocketCommunicator} puts it). The Undertow server says {@code "2.4"} for WebSocket and {@code
   * "2.3"} for HTTP.
   *
   * @return the spec version; {@code "2.0"} when the scope has none, as ASGI says to assume
   */
  public String specVersion() {
    if (values.get("asgi") instanceof Map<?, ?> asgi && asgi.get("spec_version") instanceof String v) {
      return v;
    }
    return values.get("spec_version") instanceof String v ? v : "2.0";
  }

  /**
   * The ASGI extensions the server supports ({@code scope["extensions"]}), e.g. {@code
   * websocket.http.response} (a WebSocket handshake may be refused with any HTTP response).
   *
   * @return the extensions by name, each with its (usually empty) options; empty when there are none
   */
  @SuppressWarnings("unchecked")
  public Map<String, Object> extensions() {
    return values.get("extensions") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /**
   * Any scope key, e.g. {@code "user"} or {@code "session"} put by middleware.
   *
   * @param key the key
   * @return any scope key, e.g. {@code "user"} or {@code "session"} put by middleware
   */
  public Optional<Object> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  /**
   * Returns true if the scope holds {@code key}.
   *
   * @param key the key
   * @return true if the scope holds {@code key}
   */
  public boolean has(String key) {
    return values.containsKey(key);
  }

  /**
   * Returns a copy of this scope with {@code key} set to {@code value} (null removes it).
   *
   * @param key the key
   * @param value the value
   * @return a copy of this scope with {@code key} set to {@code value} (null removes it)
   */
  public Scope with(String key, Object value) {
    Objects.requireNonNull(key, "key");
    return new Scope(ScopeValues.derive(values, key, value == null ? null : Builder.check(key, value)));
  }

  /** {@return all keys and values, unmodifiable} */
  public Map<String, Object> asMap() {
    return values;
  }

  @Override
  public String toString() {
    return "Scope" + values;
  }

  /** Builds a {@link Scope}. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder(String type) {
      values.put("type", Objects.requireNonNull(type, "type"));
    }

    /**
     * Sets the decoded path; {@code raw_path} defaults to it.
     *
     * @param path the path
     * @return this builder
     */
    public Builder path(String path) {
      return set("path", path);
    }

    /**
     * Sets the raw (encoded) path.
     *
     * @param rawPath the raw path
     * @return this builder
     */
    public Builder rawPath(String rawPath) {
      return set("raw_path", rawPath);
    }

    /**
     * Sets the encoded query string, without {@code ?}.
     *
     * @param queryString the query string
     * @return this builder
     */
    public Builder queryString(String queryString) {
      return set("query_string", queryString);
    }

    /**
     * Sets the root path.
     *
     * @param rootPath the path prefix
     * @return this builder
     */
    public Builder rootPath(String rootPath) {
      return set("root_path", rootPath);
    }

    /**
     * Sets the scheme.
     *
     * @param scheme the scheme
     * @return this builder
     */
    public Builder scheme(String scheme) {
      return set("scheme", scheme);
    }

    /**
     * Sets the HTTP method.
     *
     * @param method the method
     * @return this builder
     */
    public Builder method(String method) {
      return set("method", method.toUpperCase(Locale.ROOT));
    }

    /**
     * Sets the HTTP version.
     *
     * @param version the version
     * @return this builder
     */
    public Builder httpVersion(String version) {
      return set("http_version", version);
    }

    /**
     * Sets the headers.
     *
     * @param headers the headers
     * @return this builder
     */
    public Builder headers(List<Header> headers) {
      return set("headers", List.copyOf(headers));
    }

    /**
     * Adds one header.
     *
     * @param name the name
     * @param value the value
     * @return this builder
     */
    @SuppressWarnings("unchecked")
    public Builder header(String name, String value) {
      List<Header> list = new ArrayList<>((List<Header>) values.getOrDefault("headers", List.of()));
      list.add(Header.of(name, value));
      return set("headers", List.copyOf(list));
    }

    /**
     * Sets the client address.
     *
     * @param client the client
     * @return this builder
     */
    public Builder client(InetSocketAddress client) {
      return set("client", client);
    }

    /**
     * Sets the server address.
     *
     * @param server the server
     * @return this builder
     */
    public Builder server(InetSocketAddress server) {
      return set("server", server);
    }

    /**
     * Sets the offered subprotocols.
     *
     * @param subprotocols the subprotocols
     * @return this builder
     */
    public Builder subprotocols(List<String> subprotocols) {
      return set("subprotocols", List.copyOf(subprotocols));
    }

    /**
     * Sets the channel (worker scopes).
     *
     * @param channel the channel name
     * @return this builder
     */
    public Builder channel(String channel) {
      return set("channel", channel);
    }

    /**
     * Sets any other key.
     *
     * @param key the key
     * @param value the value
     * @return this builder
     */
    public Builder set(String key, Object value) {
      Objects.requireNonNull(key, "key");
      values.put(key, check(key, Objects.requireNonNull(value, key)));
      return this;
    }

    /**
     * Returns the immutable scope.
     *
     * @return the immutable scope
     */
    public Scope build() {
      return new Scope(ScopeValues.copyOf(values));
    }

    static Object check(String key, Object value) {
      Class<?> expected = switch (key) {
        case "type", "path", "raw_path", "query_string", "root_path", "scheme", "method", "http_version", "channel" ->
            String.class;
        case "headers", "subprotocols" -> List.class;
        case "client", "server" -> InetSocketAddress.class;
        case "url_route" -> UrlRoute.class;
        default -> null;
      };
      if (expected == null) {
        return value;
      }
      if (!expected.isInstance(value)) {
        throw new IllegalArgumentException(
            "scope key '" + key + "' must be a " + expected.getSimpleName() + ", got " + value.getClass().getName());
      }
      return value;
    }
  }
}
