package io.channels4j.redis.bench;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.redis.RedisChannelLayer;
import io.channels4j.redis.RedisPubSubChannelLayer;
import io.channels4j.redis.RedisServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Benchmark: {@code groupSend} to a 100-member group spread over two processes (50 members each),
 * Channels4J against Python channels_redis through the same redis-server, in one run, side by side.
 *
 * <p>Java: this JVM (50 members and the sender) plus a second JVM (50 members), started with the same
 * class path. Python: two {@code /usr/bin/python3} processes running {@code bench/group_send_bench.py}
 * (one with 50 members and the sender, one with 50 members). Each message carries its send time
 * (epoch microseconds); latency is taken at receipt in the receiving process. Phases, per layer kind:
 * warm-up (not reported), saturate (as fast as a window of in-flight group sends allows) and paced (a
 * fixed rate, the same for both). CPU: redis-server's from {@code INFO cpu}, the clients' from
 * {@code /proc/<pid>/stat} (utime + stime), before and after each phase.
 *
 * <pre>
 * mvn -q -pl channels-redis -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java -cp channels-redis/target/test-classes:channels-redis/target/classes:$(cat channels-redis/target/bench.cp) \
 *     io.channels4j.redis.bench.GroupSendBench [--kinds core,pubsub] [--java-sends 20000] [--py-sends 2000]
 *     [--window 16] [--rate 100] [--paced-seconds 5] [--redis redis://127.0.0.1:6379] [--child-java-opts "-Xmx512m"]
 * </pre>
 *
 * Loopback only; every phase is bounded by its message count and a deadline.
 */
public final class GroupSendBench {

  static final int MEMBERS = 50;
  static final String TEXT = "a chat line of about sixty-four characters, like a real message";
  static final String PYTHON = "/usr/bin/python3";
  private static final long DEADLINE_S = 120;

  private GroupSendBench() {}

  /**
   * Runs the benchmark (no arguments or options), or, with first argument {@code member}, the second
   * Java process.
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("member")) {
      member(args[1], args[2], args[3]);
      return;
    }
    Map<String, String> opts = new LinkedHashMap<>();
    opts.put("kinds", "core,pubsub");
    opts.put("java-sends", "20000");
    opts.put("py-sends", "2000");
    opts.put("window", "16");
    opts.put("rate", "100");
    opts.put("paced-seconds", "5");
    opts.put("redis", "");
    opts.put("child-java-opts", "");
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--") || !opts.containsKey(args[i].substring(2))) {
        throw new IllegalArgumentException("unknown option '" + args[i] + "'; options: " + opts.keySet());
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    new GroupSendBench().run(opts);
  }

  // ------------------------------------------------------------------------------ orchestration

  /** One measured phase of one implementation. */
  private static final class Result {
    String impl;
    String phase;
    int sends;
    long expected;
    long delivered;
    long sendErrors;
    double seconds;
    long[] latencies;
    double redisCpu;
    double senderCpu;
    double memberCpu;
  }

  private void run(Map<String, String> opts) throws Exception {
    RedisServer own = null;
    String uri = opts.get("redis");
    if (uri.isEmpty()) {
      own = RedisServer.start();
      uri = own.uri();
    }
    int port = Integer.parseInt(uri.substring(uri.lastIndexOf(':') + 1).replaceAll("/.*", ""));
    int window = Integer.parseInt(opts.get("window"));
    int rate = Integer.parseInt(opts.get("rate"));
    int pacedSends = rate * Integer.parseInt(opts.get("paced-seconds"));
    List<Result> results = new ArrayList<>();
    try {
      for (String kind : opts.get("kinds").split(",")) {
        int javaSends = Integer.parseInt(opts.get("java-sends"));
        int pySends = Integer.parseInt(opts.get("py-sends"));
        try (JavaSide java = new JavaSide(kind, uri, opts.get("child-java-opts"))) {
          java.phase("warmup", Math.min(5000, javaSends), window, 0, port);
          results.add(java.phase("saturate", javaSends, window, 0, port));
          results.add(java.phase("paced " + rate + "/s", pacedSends, window, rate, port));
        }
        try (PythonSide py = new PythonSide(kind, uri)) {
          py.phase("warmup", Math.min(200, pySends), window, 0, port);
          results.add(py.phase("saturate", pySends, window, 0, port));
          results.add(py.phase("paced " + rate + "/s", pacedSends, window, rate, port));
        }
      }
    } finally {
      if (own != null) {
        own.close();
      }
    }
    print(results, System.out, opts);
  }

  private static void print(List<Result> results, PrintStream out, Map<String, String> opts) {
    out.println();
    out.printf(Locale.ROOT, "groupSend to a %d-member group over 2 processes (%d members each), one redis-server;"
        + " window %s in-flight group sends; %d cores%n", 2 * MEMBERS, MEMBERS, opts.get("window"),
        Runtime.getRuntime().availableProcessors());
    out.println();
    out.println("| implementation | phase | group sends | deliveries | lost | send errors | seconds | deliveries/s"
        + " | p50 ms | p99 ms | max ms | redis-server CPU | sender+50 members process CPU | 50 members process CPU |");
    out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (Result r : results) {
      long[] l = r.latencies;
      Arrays.sort(l);
      out.printf(Locale.ROOT, "| %s | %s | %,d | %,d | %,d | %,d | %.2f | %,.0f | %.2f | %.2f | %.2f | %.2f s (%.0f%%) |"
              + " %.2f s (%.0f%%) | %.2f s (%.0f%%) |%n",
          r.impl, r.phase, r.sends, r.delivered, r.expected - r.delivered, r.sendErrors, r.seconds,
          r.delivered / r.seconds, pct(l, 0.50) / 1000.0, pct(l, 0.99) / 1000.0,
          (l.length == 0 ? 0 : l[l.length - 1]) / 1000.0, r.redisCpu, 100 * r.redisCpu / r.seconds, r.senderCpu,
          100 * r.senderCpu / r.seconds, r.memberCpu, 100 * r.memberCpu / r.seconds);
    }
    out.println();
    for (String phase : new String[] {"saturate"}) {
      for (Result j : results) {
        if (!j.phase.equals(phase) || !j.impl.startsWith("Channels4J")) {
          continue;
        }
        for (Result p : results) {
          if (p.phase.equals(phase) && p.impl.startsWith("channels_redis") && sameKind(j, p)) {
            out.printf(Locale.ROOT, "%s vs %s, %s: %.1fx the deliveries/s%n", j.impl, p.impl, phase,
                (j.delivered / j.seconds) / (p.delivered / p.seconds));
          }
        }
      }
    }
  }

  private static boolean sameKind(Result a, Result b) {
    return a.impl.contains("PubSub") == b.impl.contains("PubSub");
  }

  private static long pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** A process's summary line after a phase: DONE deliveries lastReceiptUs firstSendUs sendErrors. */
  private static long[] parseDone(String line) {
    String[] w = line.trim().split("\\s+");
    if (!w[0].equals("DONE")) {
      throw new IllegalStateException("expected DONE, got '" + line + "'");
    }
    return new long[] {Long.parseLong(w[1]), Long.parseLong(w[2]), Long.parseLong(w[3]), Long.parseLong(w[4])};
  }

  private static long[] readLatencies(Path file, ByteOrder order) throws IOException {
    byte[] b = Files.readAllBytes(file);
    ByteBuffer bb = ByteBuffer.wrap(b).order(order);
    long[] out = new long[b.length / 8];
    for (int i = 0; i < out.length; i++) {
      out[i] = bb.getLong();
    }
    Files.deleteIfExists(file);
    return out;
  }

  private static long[] concat(long[] a, long[] b) {
    long[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** redis-server's used_cpu_user + used_cpu_sys, in seconds. */
  static double redisCpu(int port) {
    double total = 0;
    for (String line : RedisServer.command(port, "INFO", "cpu").split("\r?\n")) {
      if (line.startsWith("used_cpu_user:") || line.startsWith("used_cpu_sys:")) {
        total += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return total;
  }

  /** utime + stime of a process, in seconds (from /proc/PID/stat; clock ticks of 1/100 s). */
  static double processCpu(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the command: state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15)
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A child process speaking the READY / PHASE / ARMED / DONE line protocol. */
  private static final class Child implements AutoCloseable {
    final Process process;
    final PrintWriter in;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final StringBuilder log = new StringBuilder();

    Child(List<String> cmd) throws IOException {
      process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      Thread t = new Thread(() -> pump(process.getInputStream()), "bench-child-" + process.pid());
      t.setDaemon(true);
      t.start();
    }

    private void pump(InputStream s) {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (log) {
            if (log.length() < 20_000) {
              log.append(line).append('\n');
            }
          }
          if (line.startsWith("READY") || line.startsWith("ARMED") || line.startsWith("DONE")) {
            lines.add(line);
          }
        }
      } catch (IOException e) {
        // exited
      }
    }

    String expect(String prefix, long seconds) throws InterruptedException {
      String line = lines.poll(seconds, TimeUnit.SECONDS);
      if (line == null || !line.startsWith(prefix)) {
        String l;
        synchronized (log) {
          l = log.toString();
        }
        throw new IllegalStateException("child " + process.pid() + " did not print " + prefix + " within " + seconds
            + " s (got " + line + "); its output:\n" + l);
      }
      return line;
    }

    void send(String line) {
      in.println(line);
    }

    @Override
    public void close() {
      in.println("QUIT");
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** Channels4J: this JVM (members + sender) and a child JVM (members). */
  private static final class JavaSide implements AutoCloseable {
    final String kind;
    final String uri;
    final String group = "bench-java";
    final ChannelLayer layer;
    final Members members;
    final Child child;

    JavaSide(String kind, String uri, String childJavaOpts) throws Exception {
      this.kind = kind;
      this.uri = uri;
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      if (!childJavaOpts.isBlank()) {
        cmd.addAll(List.of(childJavaOpts.trim().split("\\s+")));
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GroupSendBench.class.getName(), "member", kind,
          uri, group));
      child = new Child(cmd);
      layer = layer(kind, uri);
      members = new Members(layer, group);
      child.expect("READY", 60);
    }

    Result phase(String name, int sends, int window, int rate, int port) throws Exception {
      long expected = (long) sends * MEMBERS;
      Path childFile = Files.createTempFile("bench-java-", ".lat");
      child.send(String.join(" ", "PHASE", name.replace(' ', '_'), Long.toString(expected), Long.toString(DEADLINE_S),
          childFile.toString()));
      child.expect("ARMED", 30);
      members.arm(expected);
      double redis0 = redisCpu(port);
      double self0 = processCpu(ProcessHandle.current().pid());
      double child0 = processCpu(child.process.pid());
      long first = nowMicros();
      long errors = send(layer, group, sends, window, rate);
      members.await(DEADLINE_S);
      long[] done = parseDone(child.expect("DONE", DEADLINE_S + 30));
      Result r = new Result();
      r.impl = kind.equals("core") ? "Channels4J RedisChannelLayer" : "Channels4J RedisPubSubChannelLayer";
      r.phase = name;
      r.sends = sends;
      r.expected = 2 * expected;
      r.delivered = members.count() + done[0];
      r.sendErrors = errors;
      r.seconds = (Math.max(members.last(), done[1]) - first) / 1e6;
      r.redisCpu = redisCpu(port) - redis0;
      r.senderCpu = processCpu(ProcessHandle.current().pid()) - self0;
      r.memberCpu = processCpu(child.process.pid()) - child0;
      r.latencies = concat(members.latencies(), readLatencies(childFile, ByteOrder.BIG_ENDIAN));
      return r;
    }

    @Override
    public void close() {
      child.close();
      layer.close();
    }
  }

  /** channels_redis: two Python processes, one of them sending. */
  private static final class PythonSide implements AutoCloseable {
    final String kind;
    final Child sender;
    final Child member;

    PythonSide(String kind, String uri) throws Exception {
      this.kind = kind;
      Path script = Files.createTempFile("group_send_bench", ".py");
      try (InputStream in = GroupSendBench.class.getResourceAsStream("/bench/group_send_bench.py")) {
        Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      script.toFile().deleteOnExit();
      String group = "bench-python";
      member = new Child(List.of(PYTHON, script.toString(), kind, "member", uri, group));
      sender = new Child(List.of(PYTHON, script.toString(), kind, "sender", uri, group));
      member.expect("READY", 60);
      sender.expect("READY", 60);
    }

    Result phase(String name, int sends, int window, int rate, int port) throws Exception {
      long expected = (long) sends * MEMBERS;
      Path mFile = Files.createTempFile("bench-py-", ".lat");
      Path sFile = Files.createTempFile("bench-py-", ".lat");
      String common = String.join(" ", "PHASE", name.replace(' ', '_'), Long.toString(expected),
          Long.toString(DEADLINE_S));
      member.send(common + " " + mFile + " 0 " + window + " 0");
      member.expect("ARMED", 30);
      double redis0 = redisCpu(port);
      double member0 = processCpu(member.process.pid());
      double sender0 = processCpu(sender.process.pid());
      sender.send(common + " " + sFile + " " + sends + " " + window + " " + rate);
      sender.expect("ARMED", 30);
      long[] s = parseDone(sender.expect("DONE", DEADLINE_S + 60));
      long[] m = parseDone(member.expect("DONE", DEADLINE_S + 30));
      Result r = new Result();
      r.impl = kind.equals("core") ? "channels_redis RedisChannelLayer" : "channels_redis RedisPubSubChannelLayer";
      r.phase = name;
      r.sends = sends;
      r.expected = 2 * expected;
      r.delivered = s[0] + m[0];
      r.sendErrors = s[3];
      r.seconds = (Math.max(s[1], m[1]) - s[2]) / 1e6;
      r.redisCpu = redisCpu(port) - redis0;
      r.senderCpu = processCpu(sender.process.pid()) - sender0;
      r.memberCpu = processCpu(member.process.pid()) - member0;
      r.latencies = concat(readLatencies(sFile, ByteOrder.nativeOrder()), readLatencies(mFile, ByteOrder.nativeOrder()));
      return r;
    }

    @Override
    public void close() {
      sender.close();
      member.close();
    }
  }

  // ------------------------------------------------------------------------------ the layers

  static ChannelLayer layer(String kind, String uri) {
    if (kind.equals("core")) {
      return RedisChannelLayer.builder().host(uri).capacity(1_000_000).build();
    }
    if (kind.equals("pubsub")) {
      return RedisPubSubChannelLayer.builder().host(uri).build();
    }
    throw new IllegalArgumentException("unknown layer kind '" + kind + "' (core or pubsub)");
  }

  static long nowMicros() {
    Instant t = Instant.now();
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  /** Sends {@code sends} group messages, at most {@code window} in flight, paced at {@code rate}/s if > 0. */
  static long send(ChannelLayer layer, String group, int sends, int window, int rate) throws InterruptedException {
    Semaphore inFlight = new Semaphore(window);
    AtomicLong errors = new AtomicLong();
    long start = System.nanoTime();
    for (int i = 0; i < sends; i++) {
      if (rate > 0) {
        long target = start + (long) (i * (1e9 / rate));
        long wait;
        while ((wait = target - System.nanoTime()) > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      inFlight.acquire();
      Message m = Message.of("bench.message", "t", nowMicros(), "i", i, "text", TEXT);
      layer.groupSend(group, m).whenComplete((v, e) -> {
        if (e != null) {
          errors.incrementAndGet();
        }
        inFlight.release();
      });
    }
    inFlight.acquire(window);
    return errors.get();
  }

  /** 50 channels in the group, each with a receive loop recording latencies. */
  static final class Members {
    final ChannelLayer layer;
    final List<String> channels = new ArrayList<>();
    volatile long[] latencies = new long[0];
    final AtomicInteger next = new AtomicInteger();
    final AtomicLong last = new AtomicLong();
    volatile CountDownLatch done = new CountDownLatch(1);
    volatile long expected = Long.MAX_VALUE;

    Members(ChannelLayer layer, String group) {
      this.layer = layer;
      for (int i = 0; i < MEMBERS; i++) {
        String ch = layer.sync().newChannel();
        layer.sync().groupAdd(group, ch);
        channels.add(ch);
      }
      for (String ch : channels) {
        loop(ch);
      }
    }

    void arm(long expected) {
      latencies = new long[(int) expected];
      next.set(0);
      last.set(0);
      done = new CountDownLatch(1);
      this.expected = expected;
    }

    private void loop(String ch) {
      while (true) {
        CompletableFuture<Message> f = layer.receive(ch).toCompletableFuture();
        if (!f.isDone()) {
          f.whenComplete((m, e) -> {
            if (e == null) {
              record(m);
              loop(ch);
            }
          });
          return;
        }
        if (f.isCompletedExceptionally()) {
          return;
        }
        record(f.join());
      }
    }

    private void record(Message m) {
      long now = nowMicros();
      long[] l = latencies;
      int i = next.getAndIncrement();
      if (i < l.length) {
        l[i] = now - m.getLong("t", now);
      }
      last.accumulateAndGet(now, Math::max);
      if (i + 1 == expected) {
        done.countDown();
      }
    }

    void await(long seconds) throws InterruptedException {
      done.await(seconds, TimeUnit.SECONDS);
    }

    long count() {
      return Math.min(next.get(), latencies.length);
    }

    long last() {
      return last.get();
    }

    long[] latencies() {
      return Arrays.copyOf(latencies, (int) count());
    }
  }

  /** The second Java process: 50 members; reads PHASE lines, prints ARMED and DONE. */
  private static void member(String kind, String uri, String group) throws Exception {
    ChannelLayer layer = layer(kind, uri);
    Members members = new Members(layer, group);
    PrintStream out = System.out;
    out.println("READY");
    out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.startsWith("QUIT")) {
      String[] w = line.split(" ");
      long expected = Long.parseLong(w[2]);
      members.arm(expected);
      out.println("ARMED");
      out.flush();
      members.await(Long.parseLong(w[3]));
      long[] lat = members.latencies();
      ByteBuffer bb = ByteBuffer.allocate(lat.length * 8);
      for (long v : lat) {
        bb.putLong(v);
      }
      Files.write(Path.of(w[4]), bb.array());
      out.println("DONE " + lat.length + " " + members.last() + " 0 0");
      out.flush();
    }
    layer.close();
  }
}
