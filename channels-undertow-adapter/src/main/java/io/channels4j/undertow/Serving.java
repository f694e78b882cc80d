package io.channels4j.undertow;

import io.channels4j.Application;
import io.channels4j.layers.ChannelLayers;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * What {@link Main} runs: one {@link ChannelsServer} per listener, all with the options the flags gave, and
 * the {@code --access-log} target. {@link #close()} stops them all gracefully (the shutdown hook calls it).
 */
final class Serving implements AutoCloseable {

  /** The channel layers {@code --layers} or the environment configured, closed after the servers stop. */
  volatile ChannelLayers.Configuration layers;

  private static final Duration FOREVER = Duration.ofDays(365L * 100);

  final List<ChannelsServer> servers;
  private final Consumer<String> accessLog;
  private final AutoCloseable accessLogFile;

  private Serving(List<ChannelsServer> servers, Consumer<String> accessLog, AutoCloseable accessLogFile) {
    this.servers = List.copyOf(servers);
    this.accessLog = accessLog;
    this.accessLogFile = accessLogFile;
  }

  /** The server options the flags ask for; an IllegalArgumentException is prefixed with the flag at fault. */
  static Consumer<ChannelsServer.Builder> options(ServeOptions o) {
    return b -> {
      flag("--root-path", () -> b.rootPath(o.rootPath));
      b.pingInterval(Duration.ofSeconds(o.pingInterval));
      b.pingTimeout(Duration.ofSeconds(o.pingTimeout));
      b.handshakeTimeout(o.websocketConnectTimeout == ServeOptions.FOREVER ? FOREVER
          : Duration.ofSeconds(o.websocketConnectTimeout));
      b.maxMessageSize(o.maxMessageSize);
      b.handlerOptions(h -> h
          .websocketTimeout(o.websocketTimeout == ServeOptions.FOREVER ? Duration.ZERO
              : Duration.ofSeconds(o.websocketTimeout))
          .applicationCloseTimeout(Duration.ofSeconds(o.applicationCloseTimeout)));
      if (o.proxyHeaders) {
        List<String> trusted = o.trustAllProxies ? List.of("*")
            : o.trustedProxies.isEmpty() ? List.of("127.0.0.1", "::1") : o.trustedProxies;
        flag("--trusted-proxies", () -> b.trustedProxies(trusted.toArray(String[]::new)));
        flag("--proxy-headers-host/--proxy-headers-port", () -> b.handlerOptions(h -> h.proxyHeaders(
            o.proxyHeadersHost == null ? TrustedProxies.NONE.addressHeader() : o.proxyHeadersHost,
            o.proxyHeadersPort == null ? TrustedProxies.NONE.portHeader() : o.proxyHeadersPort)));
      }
    };
  }

  private static void flag(String flag, Runnable set) {
    try {
      set.run();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts a server per endpoint; if one cannot start, the others are stopped and the failure thrown
   * (IllegalStateException for a bind failure, IllegalArgumentException for unusable PEM files).
   */
  static Serving start(Application app, List<Endpoint> endpoints, Consumer<ChannelsServer.Builder> options,
      String accessLogPath, PrintStream stdout) {
    List<ChannelsServer> started = new ArrayList<>();
    AutoCloseable file = null;
    Consumer<String> target = null;
    try {
      if (accessLogPath != null) {
        if (accessLogPath.equals("-")) {
          target = line -> stdout.println(line);
        } else {
          BufferedWriter w = Files.newBufferedWriter(Path.of(accessLogPath), StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
          file = w;
          target = line -> write(w, line);
        }
      }
      List<ChannelsServer> built = new ArrayList<>();
      for (Endpoint e : endpoints) {
        ChannelsServer.Builder b = ChannelsServer.builder(app).host(e.host()).port(e.port());
        options.accept(b);
        if (e.tls()) {
          SSLContext tls = PemTls.context(e.certFile(), e.keyFile());
          b.tls(tls);
        }
        built.add(b.build());
      }
      if (target != null) {
        AccessLog.target = target;
      }
      for (ChannelsServer s : built) {
        started.add(s.start());
      }
      return new Serving(started, target, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the access log " + accessLogPath + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      started.forEach(ChannelsServer::stop);
      if (target != null && AccessLog.target == target) {
        AccessLog.target = null;
      }
      closeQuietly(file);
      throw e;
    }
  }

  private static void write(BufferedWriter w, String line) {
    synchronized (w) {
      try {
        w.write(Instant.now() + " " + line);
        w.newLine();
        w.flush();
      } catch (IOException e) {
        // the disk is full or gone: the access log is not worth stopping the server for
      }
    }
  }

  /** Stops every server (gracefully, each up to its shutdown timeout) and closes the access log. */
  @Override
  public void close() {
    for (ChannelsServer s : servers) {
      s.stop();
    }
    if (accessLog != null && AccessLog.target == accessLog) {
      AccessLog.target = null;
    }
    closeQuietly(accessLogFile);
    closeQuietly(layers);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        // closing a log file: nothing left to do
      }
    }
  }
}
