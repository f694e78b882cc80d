package io.channels4j.undertow;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@link Main}'s flags, as picocli reads them, named as Daphne 4.2's where Daphne has them; {@link #check()}
 * turns a value picocli accepts but the server would not into a usage error naming the flag and the value.
 */
@Command(name = "java -cp <class path> io.channels4j.undertow.Main", sortOptions = false, usageHelpWidth = 100,
    mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = {"Serves a Channels4J application over HTTP and WebSocket, as Daphne serves an ASGI one.",
        "Exit status: 0 stopped, 1 could not start, 2 bad usage."})
final class ServeOptions {

  static final int FOREVER = -1;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<application>",
      description = "a class implementing io.channels4j.Application or Supplier<Application> (public no-arg "
          + "constructor), or a static field or no-arg method: com.example.Routing::application")
  String application;

  @Option(names = {"-b", "--bind"}, paramLabel = "HOST", description = "address to bind (default 127.0.0.1)")
  String host;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "port to listen on, 0 for any free one "
      + "(default 8000)")
  Integer port;

  @Option(names = {"-e", "--endpoint"}, paramLabel = "ENDPOINT", description = "another listener (repeatable): "
      + "tcp:port=8001:interface=0.0.0.0 or ssl:port=8443:privateKey=key.pem:certKey=cert.pem (PEM files)")
  List<String> endpoints = new ArrayList<>();

  @Option(names = {"-u", "--unix-socket"}, paramLabel = "PATH", description = "not supported (TCP only)")
  String unixSocket;

  @Option(names = "--fd", paramLabel = "N", description = "not supported (TCP only)")
  Integer fileDescriptor;

  @Option(names = {"--websocket-timeout", "--websocket_timeout"}, paramLabel = "SECONDS",
      description = "longest a WebSocket may stay open, then closed with 1000; -1 for ever (default 86400)")
  int websocketTimeout = 86400;

  @Option(names = {"--websocket-connect-timeout", "--websocket_connect_timeout"}, paramLabel = "SECONDS",
      description = "time the application has to accept or reject a WebSocket handshake, then 403; -1 for ever "
          + "(default 5)")
  int websocketConnectTimeout = 5;

  @Option(names = "--ping-interval", paramLabel = "SECONDS",
      description = "ping a WebSocket silent this long; 0 never (default 20)")
  int pingInterval = 20;

  @Option(names = "--ping-timeout", paramLabel = "SECONDS",
      description = "drop a pinged WebSocket silent this long after the ping (default 30)")
  int pingTimeout = 30;

  @Option(names = "--application-close-timeout", paramLabel = "SECONDS",
      description = "time an application has to finish after its client left, then it is cancelled (default 10)")
  int applicationCloseTimeout = 10;

  @Option(names = {"-t", "--http-timeout"}, paramLabel = "SECONDS", description = "not supported yet")
  Integer httpTimeout;

  @Option(names = "--websocket-max-message-size", paramLabel = "BYTES",
      description = "largest incoming WebSocket message, larger closes with 1009 (default 1048576)")
  long maxMessageSize = 1 << 20;

  @Option(names = "--root-path", paramLabel = "PATH", description = "the scope's root_path, e.g. /chat (default "
      + "empty); a trusted proxy's Daphne-Root-Path header overrides it")
  String rootPath = "";

  @Option(names = "--proxy-headers", description = "believe X-Forwarded-For, -Port, -Proto and -Host (and "
      + "Daphne-Root-Path) from --trusted-proxies (default 127.0.0.1,::1)")
  boolean proxyHeaders;

  @Option(names = "--proxy-headers-host", paramLabel = "HEADER",
      description = "header holding the client address, e.g. X-Real-IP (needs --proxy-headers)")
  String proxyHeadersHost;

  @Option(names = "--proxy-headers-port", paramLabel = "HEADER",
      description = "header holding the client port (needs --proxy-headers)")
  String proxyHeadersPort;

  @Option(names = "--trusted-proxies", paramLabel = "LIST", split = ",",
      description = "proxies whose headers are believed: addresses or CIDR ranges, e.g. 10.0.0.0/8,127.0.0.1 "
          + "(needs --proxy-headers)")
  List<String> trustedProxies = new ArrayList<>();

  @Option(names = "--trust-all-proxies", description = "DANGEROUS: believe proxy headers from every peer, as "
      + "Daphne's --proxy-headers does; any client can then forge its address (needs --proxy-headers)")
  boolean trustAllProxies;

  @Option(names = "--access-log", paramLabel = "FILE", description = "write access lines to FILE (appended), or - "
      + "for stdout (default: the io.channels4j.undertow.access logger, shown at verbosity 1+)")
  String accessLog;

  @Option(names = "--layers", paramLabel = "FILE", description = "channel layer settings (channels.layers.<alias>.url"
      + "=redis://..., CHANNEL_LAYERS in spirit), registered for ChannelLayers.get(alias) (default: the "
      + "CHANNELS_LAYERS_* environment variables and -Dchannels.layers.* properties, if any)")
  String layers;

  @Option(names = {"-v", "--verbosity"}, paramLabel = "0-3",
      description = "0 warnings, 1 info, 2 debug, 3 trace (slf4j-simple, logback or JDK logging; default: as the "
          + "logging configuration says, info for slf4j-simple)")
  Integer verbosity;

  /** Throws a usage error for values the server would refuse. */
  void check() {
    if (unixSocket != null) {
      throw usage("-u/--unix-socket '" + unixSocket + "' is not supported: Undertow listens on TCP only; use -b/-p");
    }
    if (fileDescriptor != null) {
      throw usage("--fd " + fileDescriptor + " is not supported: Undertow listens on TCP only; use -b/-p");
    }
    if (httpTimeout != null) {
      throw usage("--http-timeout " + httpTimeout + " is not supported yet (bodies are bounded by the server's "
          + "bodyTimeout, 60 s)");
    }
    if (port != null && (port < 0 || port > 65535)) {
      throw usage("-p/--port must be 0-65535, got '" + port + "'");
    }
    if (host != null && host.isBlank()) {
      throw usage("-b/--bind must be an address, got '" + host + "'");
    }
    seconds("--websocket-timeout", websocketTimeout, true);
    seconds("--websocket-connect-timeout", websocketConnectTimeout, true);
    if (pingInterval < 0) {
      throw usage("--ping-interval must be 0 (never) or more seconds, got '" + pingInterval + "'");
    }
    seconds("--ping-timeout", pingTimeout, false);
    seconds("--application-close-timeout", applicationCloseTimeout, false);
    if (maxMessageSize < 1) {
      // a message is held whole in memory: there is always a limit (Daphne's 0 meant none)
      throw usage("--websocket-max-message-size must be at least 1 byte, got '" + maxMessageSize + "'");
    }
    if (verbosity != null && (verbosity < 0 || verbosity > 3)) {
      throw usage("-v/--verbosity must be 0, 1, 2 or 3, got '" + verbosity + "'");
    }
    for (String[] needs : new String[][] {{"--proxy-headers-host", proxyHeadersHost},
        {"--proxy-headers-port", proxyHeadersPort}, {"--trusted-proxies", trustedProxies.isEmpty() ? null : "x"},
        {"--trust-all-proxies", trustAllProxies ? "x" : null}}) {
      if (needs[1] != null && !proxyHeaders) {
        throw usage(needs[0] + " needs --proxy-headers");
      }
    }
    if (trustAllProxies && !trustedProxies.isEmpty()) {
      throw usage("--trust-all-proxies and --trusted-proxies " + String.join(",", trustedProxies)
          + " contradict each other: give one");
    }
  }

  private void seconds(String flag, int value, boolean foreverAllowed) {
    if (value > 0 || (foreverAllowed && value == FOREVER)) {
      return;
    }
    throw usage(flag + " must be a positive number of seconds" + (foreverAllowed ? " or -1 (for ever)" : "")
        + ", got '" + value + "'");
  }

  ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
