package io.channels4j.example.chat;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The chat server's settings, from command-line flags, then environment variables, then defaults.
 *
 * <p>Flags are {@code --name value} or {@code --name=value}; see {@link #HELP}.
 *
 * @param host the address to listen on
 * @param port the port to listen on (0 picks a free one)
 * @param layer which channel layer carries room messages
 * @param redisUrl the Redis server, for {@link Layer#REDIS}
 * @param allowedHosts hosts a browser page may come from ({@code Origin}), as Django's ALLOWED_HOSTS
 * @param help true if {@code --help} was asked for
 */
public record ChatOptions(String host, int port, Layer layer, String redisUrl, List<String> allowedHosts, boolean help) {

  /** The channel layers the app can use. */
  public enum Layer {
    /** One process: {@code InMemoryChannelLayer}. */
    MEMORY,
    /** Any number of processes on one Redis: {@code RedisChannelLayer}, shared with Django's channels_redis. */
    REDIS
  }

  /** Default listen address. */
  public static final String DEFAULT_HOST = "127.0.0.1";
  /** Default port, Django's runserver port. */
  public static final int DEFAULT_PORT = 8000;
  /** Default Redis URL, as the tutorial's settings. */
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0";
  /** Hosts always allowed unless {@code --allowed-hosts} says otherwise: the tutorial's ALLOWED_HOSTS. */
  public static final List<String> LOCAL_HOSTS = List.of("localhost", "127.0.0.1", "[::1]");

  /** What {@code --help} prints. */
  public static final String HELP =
      String.join(
          "\n",
          "Usage: java -jar chat-example.jar [options]",
          "",
          "The Django Channels tutorial chat on Channels4J. Open http://HOST:PORT/chat/ in a browser.",
          "",
          "Options (each may also come from the environment variable shown):",
          "  --host ADDRESS          address to listen on (CHAT_HOST; default " + DEFAULT_HOST + ")",
          "  --port PORT             port to listen on, 0 for any free one (CHAT_PORT; default " + DEFAULT_PORT + ")",
          "  --layer memory|redis    channel layer: memory for one process, redis to share rooms between",
          "                          processes and with Django apps (CHAT_LAYER; default memory)",
          "  --redis-url URL         Redis server for --layer redis (REDIS_URL; default " + DEFAULT_REDIS_URL + ")",
          "  --allowed-hosts LIST    comma-separated hosts pages may be served from, checked against the",
          "                          WebSocket Origin like Django's ALLOWED_HOSTS: 'example.com',",
          "                          '.example.com' (and subdomains) or '*' (CHAT_ALLOWED_HOSTS;",
          "                          default localhost,127.0.0.1,[::1] plus --host if it is a name or address)",
          "  --help                  print this and exit",
          "");

  /** Checks and copies the settings. */
  public ChatOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(layer, "layer");
    Objects.requireNonNull(redisUrl, "redisUrl");
    allowedHosts = List.copyOf(allowedHosts);
  }

  /** The settings with every default: what {@code java -jar chat-example.jar} runs with. */
  public static ChatOptions defaults() {
    return parse(new String[0], Map.of());
  }

  /**
   * Reads flags, then {@code env}, then defaults.
   *
   * @throws UsageException naming the flag or variable and quoting the bad value
   */
  public static ChatOptions parse(String[] args, Map<String, String> env) {
    String host = env.get("CHAT_HOST");
    String port = env.get("CHAT_PORT");
    String layer = env.get("CHAT_LAYER");
    String redisUrl = env.get("REDIS_URL");
    String allowed = env.get("CHAT_ALLOWED_HOSTS");
    String portFrom = "CHAT_PORT";
    String layerFrom = "CHAT_LAYER";
    String redisFrom = "REDIS_URL";
    String allowedFrom = "CHAT_ALLOWED_HOSTS";
    String hostFrom = "CHAT_HOST";
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        help = true;
        continue;
      }
      if (!arg.startsWith("--")) {
        throw new UsageException("unexpected argument '" + arg + "': options start with --");
      }
      String name = arg;
      String value;
      int eq = arg.indexOf('=');
      if (eq >= 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      } else {
        if (!isKnown(name)) {
          throw unknown(name);
        }
        if (i + 1 >= args.length) {
          throw new UsageException("option " + name + " needs a value");
        }
        value = args[++i];
      }
      switch (name) {
        case "--host":
          host = value;
          hostFrom = name;
          break;
        case "--port":
          port = value;
          portFrom = name;
          break;
        case "--layer":
          layer = value;
          layerFrom = name;
          break;
        case "--redis-url":
          redisUrl = value;
          redisFrom = name;
          break;
        case "--allowed-hosts":
          allowed = value;
          allowedFrom = name;
          break;
        default:
          throw unknown(name);
      }
    }
    String h = host == null ? DEFAULT_HOST : host.trim();
    if (h.isEmpty()) {
      throw new UsageException(hostFrom + " must be an address or host name, got '" + host + "'");
    }
    return new ChatOptions(
        h,
        port == null ? DEFAULT_PORT : parsePort(port, portFrom),
        layer == null ? Layer.MEMORY : parseLayer(layer, layerFrom),
        redisUrl == null ? DEFAULT_REDIS_URL : checkRedisUrl(redisUrl, redisFrom),
        allowed == null ? defaultAllowedHosts(h) : parseHosts(allowed, allowedFrom),
        help);
  }

  /** The URL a person opens to chat, for logs: the index page. */
  public String indexUrl(int actualPort) {
    String shown = host;
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      shown = "127.0.0.1";
    } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      shown = "[" + host + "]";
    }
    return "http://" + shown + ":" + actualPort + "/chat/";
  }

  private static boolean isKnown(String name) {
    return Set.of("--host", "--port", "--layer", "--redis-url", "--allowed-hosts").contains(name);
  }

  private static UsageException unknown(String name) {
    return new UsageException(
        "unknown option '" + name + "': the options are --host, --port, --layer, --redis-url, --allowed-hosts, --help");
  }

  private static int parsePort(String value, String from) {
    try {
      int p = Integer.parseInt(value.trim());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new UsageException(from + " must be a port number 0-65535, got '" + value + "'");
  }

  private static Layer parseLayer(String value, String from) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "memory":
        return Layer.MEMORY;
      case "redis":
        return Layer.REDIS;
      default:
        throw new UsageException(from + " must be 'memory' or 'redis', got '" + value + "'");
    }
  }

  private static String checkRedisUrl(String value, String from) {
    String v = value.trim();
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme();
      if (scheme != null
          && (scheme.equals("redis") || scheme.equals("rediss"))
          && uri.getHost() != null
          && !uri.getHost().isEmpty()) {
        return v;
      }
    } catch (URISyntaxException e) {
      // fall through to the message
    }
    throw new UsageException(from + " must be a URL like redis://HOST:PORT/DB (or rediss:// for TLS), got '" + value + "'");
  }

  private static List<String> parseHosts(String value, String from) {
    List<String> hosts = new ArrayList<>();
    for (String part : value.split(",", -1)) {
      String h = part.trim();
      if (h.isEmpty()) {
        throw new UsageException(
            from + " must be a comma-separated list of hosts without empty entries, got '" + value + "'");
      }
      hosts.add(h.toLowerCase(Locale.ROOT));
    }
    return hosts;
  }

  private static List<String> defaultAllowedHosts(String host) {
    Set<String> hosts = new LinkedHashSet<>(LOCAL_HOSTS);
    boolean wildcard = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    if (!wildcard) {
      hosts.add(host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host.toLowerCase(Locale.ROOT));
    }
    return List.copyOf(hosts);
  }

  /** A bad command line or environment variable; the message says which and why. */
  public static final class UsageException extends IllegalArgumentException {
    /** Creates one with its message. */
    public UsageException(String message) {
      super(message);
    }
  }
}
