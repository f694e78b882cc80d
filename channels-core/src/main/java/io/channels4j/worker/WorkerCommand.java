package io.channels4j.worker;

import io.channels4j.Application;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Worker#main}: parses the {@code runworker} arguments, builds the application and the layer,
 * runs the worker until the JVM is asked to stop, then stops it gracefully and halts with status 0 (a
 * JVM stopped by SIGTERM would otherwise exit 143).
 */
final class WorkerCommand {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerCommand.class);

  /** Parsed arguments. */
  record Arguments(List<String> channels, String application, String layer, Map<String, String> layerOptions,
      Duration grace, String layerConfig) {}

  private WorkerCommand() {}

  static void main(String[] args) {
    Arguments parsed;
    Application application;
    ChannelLayer layer;
    try {
      parsed = parse(args);
      application = application(parsed.application());
      layer = parsed.layerConfig() != null ? WorkerLayers.fromFile(parsed.layerConfig())
          : parsed.layer() != null ? layer(parsed.layer(), parsed.layerOptions()) : WorkerLayers.fromEnvironment();
    } catch (IllegalArgumentException e) {
      System.err.println("runworker: " + e.getMessage());
      System.err.println("usage: --channels name... --application <class> [--layer <class|backend> [--layer-option "
          + "k=v]... | --layer-config file.properties] [--grace seconds]");
      System.exit(2);
      return;
    }
    run(application, layer, parsed);
  }

  /** Runs until the JVM is asked to stop (SIGTERM, Ctrl-C; exit 0) or the worker fails (exit 1). */
  static void run(Application application, ChannelLayer layer, Arguments args) {
    ChannelLayers.set(ChannelLayers.DEFAULT, layer); // consumers run by the worker find it there
    Worker worker = Worker.start(application, layer, args.channels());
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      boolean clean = worker.stopGracefully(args.grace());
      WorkerLayers.close(layer);
      LOG.info("Worker on {} stopped{}", args.channels(), clean ? "" : " with messages still in hand");
      stopped.countDown();
      Runtime.getRuntime().halt(0);
    }, "runworker-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    System.out.println("runworker: consuming " + args.channels());
    System.out.flush();
    try {
      worker.done().toCompletableFuture().join(); // the layer's threads may all be daemons: hold the JVM here
    } catch (RuntimeException e) {
      if (stopped.getCount() > 0) {
        LOG.error("Worker failed; exiting 1", e);
        Runtime.getRuntime().halt(1); // not exit: the shutdown hook would report a clean stop
      }
    }
    // Closed by the shutdown hook, which halts with 0 once the worker has stopped.
  }

  static Arguments parse(String[] args) {
    List<String> channels = new ArrayList<>();
    String application = null;
    String layer = null;
    String layerConfig = null;
    Map<String, String> options = new LinkedHashMap<>();
    Duration grace = Duration.ofSeconds(30);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--channels" -> {
          while (i + 1 < args.length && !args[i + 1].startsWith("--")) {
            channels.add(args[++i]);
          }
        }
        case "--application" -> application = value(args, ++i, "--application");
        case "--layer" -> layer = value(args, ++i, "--layer");
        case "--layer-config" -> layerConfig = value(args, ++i, "--layer-config");
        case "--layer-option" -> {
          String kv = value(args, ++i, "--layer-option");
          int eq = kv.indexOf('=');
          if (eq <= 0) {
            throw new IllegalArgumentException("--layer-option wants key=value, got '" + kv + "'");
          }
          options.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        case "--grace" -> {
          String v = value(args, ++i, "--grace");
          try {
            grace = Duration.ofMillis((long) (Double.parseDouble(v) * 1000));
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--grace wants seconds, got '" + v + "'");
          }
        }
        default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
      }
    }
    if (channels.isEmpty()) {
      throw new IllegalArgumentException("--channels needs at least one channel name");
    }
    if (application == null) {
      throw new IllegalArgumentException("--application is required");
    }
    if (layerConfig != null && (layer != null || !options.isEmpty())) {
      throw new IllegalArgumentException("give either --layer-config or --layer with --layer-option, not both: '"
          + layerConfig + "' and '" + layer + "'");
    }
    return new Arguments(List.copyOf(channels), application, layer, Map.copyOf(options), grace, layerConfig);
  }

  private static String value(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  static Application application(String className) {
    Object made = instantiate(className, "--application");
    if (made instanceof Application app) {
      return app;
    }
    if (made instanceof Supplier<?> supplier && supplier.get() instanceof Application app) {
      return app;
    }
    throw new IllegalArgumentException("--application " + className + " is neither an Application nor a Supplier of one");
  }

  @SuppressWarnings("unchecked")
  static ChannelLayer layer(String className, Map<String, String> options) {
    if (!WorkerLayers.isClass(className)) {
      return WorkerLayers.fromBackend(className, options); // a backend name: redis, inmemory, ...
    }
    Object made = instantiate(className, "--layer");
    if (made instanceof ChannelLayers.Factory && !(made instanceof Function<?, ?>)) {
      return WorkerLayers.fromBackend(className, options);
    }
    if (made instanceof Function<?, ?> f) {
      Object layer = ((Function<Object, Object>) f).apply(options);
      if (layer instanceof ChannelLayer l) {
        return l;
      }
    }
    throw new IllegalArgumentException("--layer " + className + " is neither a ChannelLayers.Factory nor a "
        + "Function<Map<String,String>, ChannelLayer>");
  }

  private static Object instantiate(String className, String flag) {
    try {
      return Class.forName(className).getConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException(flag + " " + className + ": cannot make one with a public no-argument constructor ("
          + e + ")");
    }
  }
}
