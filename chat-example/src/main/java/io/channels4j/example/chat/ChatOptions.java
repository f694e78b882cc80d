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
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The chat server's settings, from command-line flags, then environment variables, then defaults.
 *
 * <p>Flags are {@code --name value} or {@code --name=value}, parsed by picocli; see {@link #HELP}.
 *
 * @param host the address to listen on
 * @param port the port to listen on (0 picks a free one)
 * @param layer which channel layer carries room messages
 * @param redisUrl the Redis server, for {@link Layer#REDIS}
 * @param allowedHosts hosts a browser page may come from ({@code Origin}), as Django's ALLOWED_HOSTS
 * @param secretKey the key session cookies are signed with; null for a random key per process
 * @param rateLimit messages per second (burst as many) one socket may send; 0 for no limit
 * @param maxConnectionsPerIp open connections one client address may hold; 0 for no limit
 * @param metrics true to serve Micrometer meters at {@code /metrics} in Prometheus text format
 * @param help true if {@code --help} was asked for
 * @param history messages each room keeps for SSE and long-poll clients; 0 for none
 * @param stats true to report every message to the stats worker ({@link StatsWorker#CHANNEL})
 * @param maxConnections open connections the server holds at once (more get 503); at least 1
 */
public record ChatOptions(String host, int port, Layer layer, String redisUrl, List<String> allowedHosts,
    String secretKey, int rateLimit, int maxConnectionsPerIp, boolean metrics, boolean help, int history,
    boolean stats, int maxConnections) {

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
  /** Open connections one client address may hold by default (the server's own default bound). */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 256;

  /** Hosts always allowed unless {@code --allowed-hosts} says otherwise: the tutorial's ALLOWED_HOSTS. */
  public static final List<String> LOCAL_HOSTS = List.of("localhost", "127.0.0.1", "[::1]");
  /** Default {@code --max-connections}: the server's own default. */
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

  /** What {@code --help} prints: picocli's usage message for the flags below. */
  public static final String HELP = commandLine(new Flags()).getUsageMessage(CommandLine.Help.Ansi.OFF);

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
    Flags flags = new Flags();
    try {
      commandLine(flags).parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageException(e.getMessage());
    }
    Source host = Source.of(flags.host, "--host", env, "CHAT_HOST");
    Source port = Source.of(flags.port, "--port", env, "CHAT_PORT");
    Source layer = Source.of(flags.layer, "--layer", env, "CHAT_LAYER");
    Source redisUrl = Source.of(flags.redisUrl, "--redis-url", env, "REDIS_URL");
    Source allowed = Source.of(flags.allowedHosts, "--allowed-hosts", env, "CHAT_ALLOWED_HOSTS");
    Source secret = Source.of(flags.secretKey, "--secret-key", env, "CHAT_SECRET_KEY");
    Source rate = Source.of(flags.rateLimit, "--rate-limit", env, "CHAT_RATE_LIMIT");
    Source perIp = Source.of(flags.maxConnectionsPerIp, "--max-connections-per-ip", env, "CHAT_MAX_CONNECTIONS_PER_IP");
    Source history = Source.of(flags.history, "--history", env, "CHAT_HISTORY");
    Source maxConnections = Source.of(flags.maxConnections, "--max-connections", env, "CHAT_MAX_CONNECTIONS");
    boolean stats = flags.stats || "true".equalsIgnoreCase(env.getOrDefault("CHAT_STATS", "").trim());

    String h = host.value == null ? DEFAULT_HOST : host.value.trim();
    if (h.isEmpty()) {
      throw new UsageException(host.name + " must be an address or host name, got '" + host.value + "'");
    }
    return new ChatOptions(
        h,
        port.value == null ? DEFAULT_PORT : parsePort(port),
        layer.value == null ? Layer.MEMORY : parseLayer(layer),
        redisUrl.value == null ? DEFAULT_REDIS_URL : checkRedisUrl(redisUrl),
        allowed.value == null ? defaultAllowedHosts(h) : parseHosts(allowed),
        secret.value == null ? null : checkSecret(secret),
        rate.value == null ? 0 : parseCount(rate),
        perIp.value == null ? DEFAULT_MAX_CONNECTIONS_PER_IP : parseCount(perIp),
        flags.metrics || parseSwitch(Source.of(null, "--metrics", env, "CHAT_METRICS")),
        flags.help,
        history.value == null ? ChatApplication.Rooms.DEFAULT_HISTORY : parseCount(history),
        stats,
        maxConnections.value == null ? DEFAULT_MAX_CONNECTIONS : parsePositive(maxConnections));
  }

  /** The URL a person opens to chat, for logs: the index page. */
  public String indexUrl(int actualPort) {
    String shown = host;
    if (isWildcard(host)) {
      shown = "127.0.0.1";
    } else if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      shown = "[" + host + "]";
    }
    return "http://" + shown + ":" + actualPort + "/chat/";
  }

  private static CommandLine commandLine(Flags flags) {
    return new CommandLine(flags).setCaseInsensitiveEnumValuesAllowed(true).setUsageHelpWidth(100);
  }

  /** The flags as picocli reads them; values stay text so a bad one is reported with where it came from. */
  @Command(
      name = "java -jar chat-example.jar",
      description = {
        "The Django Channels tutorial chat on Channels4J. Open http://HOST:PORT/chat/ in a browser.",
        "Each option may also come from the environment variable shown; a flag wins over the variable."
      })
  static final class Flags {
    @Option(names = "--host", paramLabel = "ADDRESS",
        description = "address to listen on (CHAT_HOST; default " + DEFAULT_HOST + ")")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
        description = "port to listen on, 0 for any free one (CHAT_PORT; default " + DEFAULT_PORT + ")")
    String port;

    @Option(names = "--layer", paramLabel = "memory|redis",
        description = "channel layer: memory for one process, redis to share rooms between processes and with"
            + " Django apps (CHAT_LAYER; default memory)")
    String layer;

    @Option(names = "--redis-url", paramLabel = "URL",
        description = "Redis server for --layer redis (REDIS_URL; default " + DEFAULT_REDIS_URL + ")")
    String redisUrl;

    @Option(names = "--allowed-hosts", paramLabel = "LIST",
        description = "comma-separated hosts pages may be served from, checked against the WebSocket Origin"
            + " like Django's ALLOWED_HOSTS: 'example.com', '.example.com' (and subdomains) or '*'"
            + " (CHAT_ALLOWED_HOSTS; default localhost,127.0.0.1,[::1] plus --host if it is a name or address)")
    String allowedHosts;

    @Option(names = "--secret-key", paramLabel = "KEY",
        description = "key session cookies are signed with, at least 16 characters; give every node the same one"
            + " (CHAT_SECRET_KEY; default a random key per process: sessions end with it)")
    String secretKey;

    @Option(names = "--rate-limit", paramLabel = "N",
        description = "messages per second one socket may send, in bursts of N; a socket over it is closed with 1008"
            + " (CHAT_RATE_LIMIT; default 0, no limit)")
    String rateLimit;

    @Option(names = "--max-connections-per-ip", paramLabel = "N",
        description = "open connections one client address may hold; over it pages get 429 and sockets 403"
            + " (CHAT_MAX_CONNECTIONS_PER_IP; default " + DEFAULT_MAX_CONNECTIONS_PER_IP + ", 0 for no limit)")
    String maxConnectionsPerIp;

    @Option(names = "--max-connections", paramLabel = "N",
        description = "connections (WebSockets, requests, heads still arriving) served at once; beyond it new ones"
            + " get 503. See the README for JVM flags to hold many in a small heap (CHAT_MAX_CONNECTIONS; default "
            + DEFAULT_MAX_CONNECTIONS + ")")
    String maxConnections;

    @Option(names = "--metrics",
        description = "serve connection, message and layer meters at /metrics in Prometheus text format"
            + " (CHAT_METRICS=true; default off)")
    boolean metrics;

    @Option(names = "--history", paramLabel = "N",
        description = "messages each room keeps for server-sent events and long polling clients that catch up;"
            + " shared by all nodes on Redis (CHAT_HISTORY; default 100, 0 for none)")
    String history;

    @Option(names = "--stats",
        description = "report every message to the stats worker, which answers /stats in a room"
            + " (CHAT_STATS=true; default off)")
    boolean stats;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this and exit")
    boolean help;
  }

  /** A setting's text and the flag or variable it came from, for error messages. */
  private record Source(String value, String name) {
    static Source of(String flag, String flagName, Map<String, String> env, String variable) {
      return flag != null ? new Source(flag, flagName) : new Source(env.get(variable), variable);
    }
  }

  private static int parsePort(Source s) {
    try {
      int p = Integer.parseInt(s.value.trim());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new UsageException(s.name + " must be a port number 0-65535, got '" + s.value + "'");
  }

  private static Layer parseLayer(Source s) {
    return switch (s.value.trim().toLowerCase(Locale.ROOT)) {
      case "memory" -> Layer.MEMORY;
      case "redis" -> Layer.REDIS;
      default -> throw new UsageException(s.name + " must be 'memory' or 'redis', got '" + s.value + "'");
    };
  }

  private static String checkRedisUrl(Source s) {
    String v = s.value.trim();
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme();
      if (("redis".equals(scheme) || "rediss".equals(scheme)) && uri.getHost() != null && !uri.getHost().isEmpty()) {
        return v;
      }
    } catch (URISyntaxException e) {
      // fall through to the message
    }
    throw new UsageException(
        s.name + " must be a URL like redis://HOST:PORT/DB (or rediss:// for TLS), got '" + s.value + "'");
  }

  private static String checkSecret(Source s) {
    if (s.value.isBlank() || s.value.length() < 16) {
      // Never echo the value: it is a secret.
      throw new UsageException(s.name + " must be at least 16 characters (got " + s.value.length() + ")");
    }
    return s.value;
  }

  private static int parseCount(Source s) {
    try {
      int n = Integer.parseInt(s.value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new UsageException(s.name + " must be a whole number, 0 for no limit, got '" + s.value + "'");
  }

  private static int parsePositive(Source s) {
    try {
      int n = Integer.parseInt(s.value.trim());
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message
    }
    throw new UsageException(s.name + " must be a whole number of at least 1, got '" + s.value + "'");
  }

  private static boolean parseSwitch(Source s) {
    if (s.value == null) {
      return false;
    }
    return switch (s.value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off", "" -> false;
      default -> throw new UsageException(s.name + " must be true or false, got '" + s.value + "'");
    };
  }

  private static List<String> parseHosts(Source s) {
    List<String> hosts = new ArrayList<>();
    for (String part : s.value.split(",", -1)) {
      String h = part.trim();
      if (h.isEmpty()) {
        throw new UsageException(
            s.name + " must be a comma-separated list of hosts without empty entries, got '" + s.value + "'");
      }
      hosts.add(h.toLowerCase(Locale.ROOT));
    }
    return hosts;
  }

  private static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
  }

  private static List<String> defaultAllowedHosts(String host) {
    Set<String> hosts = new LinkedHashSet<>(LOCAL_HOSTS);
    if (!isWildcard(host)) {
      hosts.add(host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host.toLowerCase(Locale.ROOT));
    }
    return List.copyOf(hosts);
  }

  /** Never the secret key. */
  @Override
  public String toString() {
    return "ChatOptions[host=" + host + ", port=" + port + ", layer=" + layer + ", redisUrl=" + redisUrl
        + ", allowedHosts=" + allowedHosts + ", secretKey=" + (secretKey == null ? "random" : "given")
        + ", rateLimit=" + rateLimit + ", maxConnectionsPerIp=" + maxConnectionsPerIp + ", metrics=" + metrics
        + ", help=" + help + ", history=" + history + ", stats=" + stats + ", maxConnections=" + maxConnections + "]";
  }

  /** A bad command line or environment variable; the message says which and why. */
  public static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates one with its message. */
    public UsageException(String message) {
      super(message);
    }
  }
}
