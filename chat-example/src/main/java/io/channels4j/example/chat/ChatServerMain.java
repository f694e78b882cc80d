package io.channels4j.example.chat;

import io.channels4j.example.chat.ChatOptions.UsageException;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar chat-example.jar}: starts the chat server and logs the URL to open. {@code --help}
 * lists the flags; a bad flag prints what is wrong and exits with status 2; a server that cannot start
 * exits with status 1.
 */
public final class ChatServerMain {

  private static final Logger LOG = LoggerFactory.getLogger(ChatServerMain.class);

  private ChatServerMain() {}

  /** Runs the server until the process is stopped (Ctrl-C). */
  public static void main(String[] args) {
    // Undertow and XNIO log through JBoss Logging; send it to SLF4J like everything else.
    if (System.getProperty("org.jboss.logging.provider") == null) {
      System.setProperty("org.jboss.logging.provider", "slf4j");
    }
    int status = run(args, System.getenv(), System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /**
   * Starts the server and returns 0 (Undertow's threads keep the process running after {@code main}
   * returns; a shutdown hook stops the server), or prints help or an error and returns 0, 1 or 2.
   */
  static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    ChatOptions options;
    try {
      options = ChatOptions.parse(args, env);
    } catch (UsageException e) {
      err.println("chat-example: " + e.getMessage());
      err.println("Run with --help to list the options.");
      return 2;
    }
    if (options.help()) {
      out.print(ChatOptions.HELP);
      out.flush();
      return 0;
    }
    ChatServer server;
    try {
      server = ChatServer.start(options);
    } catch (RuntimeException e) {
      LOG.error("Chat server could not start on {}:{} with the {} layer: {}", options.host(), options.port(),
          options.layer().name().toLowerCase(Locale.ROOT), describe(e));
      LOG.debug("Start-up failure", e);
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "chat-shutdown"));
    String layer = options.layer() == ChatOptions.Layer.REDIS ? "redis layer at " + options.redisUrl() : "in-memory layer";
    LOG.info("Chat server listening on {}:{} with the {}; allowed hosts {}; rate limit {}; connections per IP {};"
        + " at most {} connections", options.host(), server.port(), layer, options.allowedHosts(),
        options.rateLimit() == 0 ? "off" : options.rateLimit() + "/s",
        options.maxConnectionsPerIp() == 0 ? "unlimited" : options.maxConnectionsPerIp(), options.maxConnections());
    LOG.info("Open {} in a browser", server.url());
    if (options.metrics()) {
      LOG.info("Metrics (Prometheus text format) at {}", server.url().replace("/chat/", MetricsPage.PATH));
    }
    return 0;
  }

  /** The distinct messages along a failure's cause chain, e.g. "...: Address already in use". */
  static String describe(Throwable error) {
    StringBuilder sb = new StringBuilder();
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      if (sb.indexOf(m) < 0) {
        sb.append(sb.length() == 0 ? "" : ": ").append(m);
      }
    }
    return sb.toString();
  }
}
