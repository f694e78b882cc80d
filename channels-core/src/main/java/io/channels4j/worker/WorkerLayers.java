package io.channels4j.worker;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code runworker} layer from settings ({@link ChannelLayers#configure(Map)}): {@code --layer-config
 * file.properties}, {@code --layer <backend> --layer-option k=v}, or {@code CHANNELS_LAYERS_DEFAULT_*}
 * environment variables when no layer flag is given. Keeps the configuration to close at the stop.
 */
final class WorkerLayers {

  private static final Logger LOG = LoggerFactory.getLogger(WorkerLayers.class);
  private static final String DEFAULT = "channels.layers." + ChannelLayers.DEFAULT + ".";

  private static volatile ChannelLayers.Configuration configuration;

  private WorkerLayers() {}

  static boolean isClass(String name) {
    try {
      Class.forName(name, false, WorkerLayers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Every alias in the file is registered; the worker consumes from {@code default}. */
  static ChannelLayer fromFile(String file) {
    ChannelLayers.Configuration c;
    try {
      c = ChannelLayers.configure(Path.of(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--layer-config " + e.getMessage(), e);
    }
    return defaultOf(c, "--layer-config '" + file + "'");
  }

  /** {@code --layer redis --layer-option url=redis://...}: the options of {@code channels.layers.default}. */
  static ChannelLayer fromBackend(String backend, Map<String, String> options) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(DEFAULT + "backend", backend);
    options.forEach((k, v) -> settings.put(DEFAULT + k, v));
    return defaultOf(ChannelLayers.Configuration.read(settings), "--layer " + backend);
  }

  /** {@code CHANNELS_LAYERS_*} and {@code -Dchannels.layers.*}, else an in-memory layer (with a warning). */
  static ChannelLayer fromEnvironment() {
    ChannelLayers.Configuration c = ChannelLayers.configureFromEnvironment();
    if (!c.aliases().contains(ChannelLayers.DEFAULT)) {
      c.close();
      LOG.warn("runworker: no --layer, --layer-config or CHANNELS_LAYERS_DEFAULT_* given; using an in-memory layer,"
          + " which no other process can reach");
      return InMemoryChannelLayer.create();
    }
    return defaultOf(c, "the environment");
  }

  private static ChannelLayer defaultOf(ChannelLayers.Configuration c, String source) {
    if (!c.aliases().contains(ChannelLayers.DEFAULT)) {
      c.close();
      throw new IllegalArgumentException(source + " has no " + DEFAULT + "* settings; the worker consumes from the "
          + "default layer");
    }
    configuration = c;
    LOG.info("runworker: channel layer '{}' ({}) from {}", ChannelLayers.DEFAULT,
        c.backend(ChannelLayers.DEFAULT).orElseThrow(), source);
    return c.get(ChannelLayers.DEFAULT).orElseThrow();
  }

  /** Closes the configuration the layer came from (every alias it created), or else the layer. */
  static void close(ChannelLayer layer) {
    ChannelLayers.Configuration c = configuration;
    if (c != null) {
      c.close();
    } else {
      layer.close();
    }
  }
}
