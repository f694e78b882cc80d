package io.channels4j.redis;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} process on a loopback port, for tests: start, kill, restart on the same
 * port, stop. Also a tiny RESP client ({@link #command}) so the harness needs no Redis library.
 */
public final class RedisServer implements AutoCloseable {

  /** Where redis-server is looked for. */
  static final String SERVER_BINARY = "redis-server";

  private static final long START_TIMEOUT_MS = 10_000;

  private final Path dir;
  private final int port;
  private final List<String> extraArgs;
  private final String sentinelMonitor;
  /** The password clients must AUTH with, or null. */
  private String password;
  private Process process;

  private RedisServer(Path dir, int port, List<String> extraArgs) {
    this(dir, port, extraArgs, null);
  }

  private RedisServer(Path dir, int port, List<String> extraArgs, String sentinelMonitor) {
    this.dir = dir;
    this.port = port;
    this.extraArgs = extraArgs;
    this.sentinelMonitor = sentinelMonitor;
  }

  /** Starts a Sentinel on a free loopback port, monitoring {@code masterName} at 127.0.0.1:{@code masterPort}. */
  public static RedisServer startSentinel(String masterName, int masterPort) {
    return startSentinel(masterName, masterPort, null, null);
  }

  /**
   * A Sentinel that requires {@code sentinelPassword} (null for none) and authenticates to its master
   * with {@code masterPassword} (null for none).
   */
  public static RedisServer startSentinel(String masterName, int masterPort, String sentinelPassword, String masterPassword) {
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      try {
        Path dir = Files.createTempDirectory("channels4j-sentinel-" + port + "-");
        String conf = "sentinel monitor " + masterName + " 127.0.0.1 " + masterPort + " 1"
            + (masterPassword == null ? "" : "\nsentinel auth-pass " + masterName + " " + masterPassword)
            + (sentinelPassword == null ? "" : "\nrequirepass " + sentinelPassword);
        RedisServer server = new RedisServer(dir, port, List.of(), conf);
        server.password = sentinelPassword;
        if (server.launch()) {
          return server;
        }
        server.deleteDir();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw new IllegalStateException("could not start a sentinel on a free port after 5 attempts");
  }

  /** True if a redis-server binary can be run. */
  public static boolean available() {
    try {
      Process p = new ProcessBuilder(SERVER_BINARY, "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Starts a server that requires {@code password} ({@code requirepass}). */
  public static RedisServer startWithPassword(String password, String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("--requirepass", password));
    args.addAll(List.of(extraArgs));
    return start(args.toArray(String[]::new));
  }

  /** Starts a server on a free loopback port (retrying on a bind race) with extra config args. */
  public static RedisServer start(String... extraArgs) {
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = freePort();
      try {
        Path dir = Files.createTempDirectory("channels4j-redis-" + port + "-");
        RedisServer server = new RedisServer(dir, port, List.of(extraArgs));
        int pw = List.of(extraArgs).indexOf("--requirepass");
        server.password = pw >= 0 ? extraArgs[pw + 1] : null;
        if (server.launch()) {
          return server;
        }
        server.deleteDir();
      } catch (IOException e) {
        last = e;
      }
    }
    throw new IllegalStateException("could not start redis-server on a free port after 5 attempts", last);
  }

  /** A free loopback port (for a second listener such as {@code --tls-port}). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Launches the process; false if the port was taken (so the caller picks another). */
  private boolean launch() throws IOException {
    List<String> cmd = new ArrayList<>();
    String readyLine = "Ready to accept connections";
    if (sentinelMonitor != null) {
      Path conf = dir.resolve("sentinel.conf");
      Files.writeString(conf, "port " + port + "\nbind 127.0.0.1\ndir " + dir + "\n" + sentinelMonitor + "\n");
      cmd.addAll(List.of(SERVER_BINARY, conf.toString(), "--sentinel"));
      readyLine = "+monitor master";
    } else {
      cmd.addAll(List.of(
          SERVER_BINARY, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
          "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(), "--loglevel", "notice"));
      cmd.addAll(extraArgs);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    StringBuilder log = new StringBuilder();
    String marker = readyLine;
    Thread reader = new Thread(() -> pump(p.getInputStream(), log, ready, marker), "redis-server-log-" + port);
    reader.setDaemon(true);
    reader.start();
    boolean ok;
    try {
      ok = ready.get(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      p.destroyForcibly();
      throw new IllegalStateException("redis-server on port " + port + " not ready within "
          + START_TIMEOUT_MS + " ms; log:\n" + log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IllegalStateException("interrupted starting redis-server", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    if (!ok) {
      p.destroyForcibly();
      synchronized (log) {
        if (log.indexOf("Address already in use") >= 0) {
          return false;
        }
        throw new IllegalStateException("redis-server on port " + port + " failed to start; log:\n" + log);
      }
    }
    process = p;
    String pong = password == null ? command(port, "PING") : authedCommand(port, password, "PING");
    if (!"PONG".equals(pong)) {
      throw new IllegalStateException("redis-server on port " + port + " answered PING with " + pong);
    }
    return true;
  }

  private static void pump(InputStream in, StringBuilder log, CompletableFuture<Boolean> ready, String marker) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (log) {
          if (log.length() < 20_000) {
            log.append(line).append('\n');
          }
        }
        if (line.contains(marker)) {
          ready.complete(true);
        }
      }
    } catch (IOException e) {
      // process went away
    }
    ready.complete(false);
  }

  /** The port. */
  public int port() {
    return port;
  }

  /** A {@code redis://} URI for this server. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** True while the process runs. */
  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Kills the server at once (SIGKILL), as a crash would, and waits for it to exit. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("redis-server on port " + port + " did not die within 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** Starts the server again on the same port (after {@link #kill}); it comes back empty. */
  public void restart() {
    if (isRunning()) {
      throw new IllegalStateException("redis-server on port " + port + " is still running");
    }
    // The old process's port may linger a moment: retry the launch while it reports the port in use.
    await("port " + port + " free for a restarted redis-server").atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(10)).until(this::launch);
  }

  /** Stops the server and deletes its directory. */
  @Override
  public void close() {
    kill();
    deleteDir();
  }

  private void deleteDir() {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  /**
   * Sends one command to 127.0.0.1:{@code port} and returns the reply rendered as text (simple
   * strings and bulk strings as is, integers as digits, arrays one element per line, errors as
   * {@code ERR ...} prefixed by {@code -}).
   */
  public static String command(int port, String... args) {
    return authedCommand(port, null, args);
  }

  /** {@link #command(int, String...)} after {@code AUTH password} on the same connection (null: no AUTH). */
  public static String authedCommand(int port, String password, String... args) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = new java.io.BufferedInputStream(s.getInputStream());
      if (password != null) {
        out.write(resp("AUTH", password));
        StringBuilder ok = new StringBuilder();
        readReply(in, ok);
        if (!"OK".equals(ok.toString())) {
          throw new IllegalStateException("AUTH on port " + port + " answered " + ok);
        }
      }
      out.write(resp(args));
      out.flush();
      StringBuilder reply = new StringBuilder();
      readReply(in, reply);
      return reply.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("redis command " + String.join(" ", args) + " on port " + port, e);
    }
  }

  private static byte[] resp(String... args) {
    StringBuilder req = new StringBuilder().append('*').append(args.length).append("\r\n");
    for (String a : args) {
      byte[] b = a.getBytes(StandardCharsets.UTF_8);
      req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
    }
    return req.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void readReply(InputStream in, StringBuilder out) throws IOException {
    int type = in.read();
    String line = readLine(in);
    switch (type) {
      case '+':
      case ':':
        out.append(line);
        break;
      case '-':
        out.append('-').append(line);
        break;
      case '$': {
        int n = Integer.parseInt(line);
        if (n >= 0) {
          byte[] b = in.readNBytes(n + 2);
          out.append(new String(b, 0, n, StandardCharsets.UTF_8));
        }
        break;
      }
      case '*': {
        int n = Integer.parseInt(line);
        for (int i = 0; i < n; i++) {
          if (i > 0) {
            out.append('\n');
          }
          readReply(in, out);
        }
        break;
      }
      default:
        throw new IOException("unexpected RESP type " + (char) type);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != '\r') {
      if (c < 0) {
        throw new IOException("connection closed");
      }
      sb.append((char) c);
    }
    in.read();
    return sb.toString();
  }
}
