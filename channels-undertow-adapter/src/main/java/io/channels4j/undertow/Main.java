package io.channels4j.undertow;

import io.channels4j.Application;
import io.channels4j.layers.ChannelLayers;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import org.slf4j.LoggerFactory;

/**
 * The server command line, in Daphne's spirit: {@code java -cp <app class path> io.channels4j.undertow.Main
 * [options] <application>}. {@code --help} lists the options (Daphne 4.2's names where Daphne has them);
 * the application is a class implementing {@code Application} or {@code Supplier<Application>}, or a
 * static field or no-arg method written {@code com.example.Routing::application}. Exit status 2 for bad
 * usage, 1 if the server cannot start; otherwise it serves until the process is stopped (SIGTERM or
 * Ctrl-C stop it gracefully). Channel layers come from {@code --layers FILE} or the {@code CHANNELS_LAYERS_*}
 * environment ({@link ChannelLayers#configure(java.nio.file.Path)}): they are registered for {@code
 * ChannelLayers.get(alias)}, and an application that binds its own layer keeps it.
 */
public final class Main {

  private Main() {}

  /**
   * Starts serving, or prints why not and exits with 1 or 2.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    JBossLogging.useSlf4jUnlessChosen();
    Launch launch = launch(args, System.out, System.err);
    if (launch.serving() == null) {
      System.exit(launch.status());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(launch.serving()::close, "channels4j-shutdown"));
  }

  /** A launch's exit status, and what it started (null unless it is serving). */
  record Launch(int status, Serving serving) {}

  static Launch launch(String[] args, PrintStream out, PrintStream err) {
    ServeOptions o = new ServeOptions();
    CommandLine cl = new CommandLine(o).setUsageHelpWidth(100);
    List<Endpoint> endpoints = new ArrayList<>();
    try {
      cl.parseArgs(args);
      if (cl.isUsageHelpRequested() || cl.isVersionHelpRequested()) {
        if (cl.isUsageHelpRequested()) {
          cl.usage(out, CommandLine.Help.Ansi.OFF);
        } else {
          cl.printVersionHelp(out, CommandLine.Help.Ansi.OFF);
        }
        out.flush();
        return new Launch(0, null);
      }
      o.check();
      if (o.verbosity != null) {
        Verbosity.apply(o.verbosity); // before anything makes a logger: slf4j-simple reads its level once
      }
      for (String e : o.endpoints) {
        try {
          endpoints.add(Endpoint.parse(e));
        } catch (IllegalArgumentException x) {
          throw o.usage("-e/--endpoint: " + x.getMessage());
        }
      }
      if (o.host != null || o.port != null || endpoints.isEmpty()) {
        endpoints.add(0, new Endpoint(o.host == null ? "127.0.0.1" : o.host.trim(), o.port == null ? 8000 : o.port,
            null, null));
      }
      try {
        Serving.options(o).accept(ChannelsServer.builder((s, r, t) -> null)); // checks every value once
      } catch (IllegalArgumentException x) {
        throw o.usage(x.getMessage());
      }
    } catch (ParameterException e) {
      err.println("channels4j: " + e.getMessage());
      err.println("Run with --help to list the options.");
      return new Launch(2, null);
    }
    Application app;
    try {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      app = ApplicationLoader.load(o.application, loader != null ? loader : Main.class.getClassLoader());
    } catch (IllegalArgumentException e) {
      err.println("channels4j: cannot load the application '" + o.application + "': " + e.getMessage());
      return new Launch(1, null);
    }
    ChannelLayers.Configuration layers;
    try {
      layers = configureLayers(o.layers);
    } catch (IllegalArgumentException e) {
      err.println("channels4j: --layers: " + e.getMessage());
      return new Launch(2, null);
    }
    try {
      Serving serving = Serving.start(app, endpoints, Serving.options(o), o.accessLog, out);
      serving.layers = layers;
      List<String> where = new ArrayList<>();
      for (int i = 0; i < endpoints.size(); i++) {
        Endpoint e = endpoints.get(i);
        where.add(new Endpoint(e.host(), serving.servers.get(i).port(), e.certFile(), e.keyFile()).describe());
      }
      LoggerFactory.getLogger(Main.class).info("Serving {} on {}", o.application, String.join(", ", where));
      return new Launch(0, serving);
    } catch (IllegalStateException | IllegalArgumentException | UncheckedIOException e) {
      layers.close();
      err.println("channels4j: cannot start: " + e.getMessage());
      return new Launch(1, null);
    }
  }

  /** The layers of {@code --layers FILE}, else of the environment (none if it names none). */
  private static ChannelLayers.Configuration configureLayers(String file) {
    if (file == null) {
      return ChannelLayers.configureFromEnvironment();
    }
    return ChannelLayers.configure(Path.of(file));
  }

  /** {@code --version}: the adapter's version from its jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"Channels4J server " + (v == null ? "(development build)" : v) + " on Java "
          + Runtime.version()};
    }
  }
}
