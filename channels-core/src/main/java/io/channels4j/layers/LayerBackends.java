package io.channels4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the {@link ChannelLayers.Factory} for a {@code backend} setting: the built-in in-memory one, the ones
 * {@link ServiceLoader} finds (class path {@code META-INF/services} or module {@code provides}), or a factory
 * named by class.
 */
final class LayerBackends {

  /** The factory and the backend name to hand it (as it knows it: its own spelling, or its class name). */
  record Found(ChannelLayers.Factory factory, String backend) {}

  private LayerBackends() {}

  static Found find(String name, String key) {
    List<ChannelLayers.Factory> factories = new ArrayList<>();
    factories.add(new InMemoryLayerFactory());
    try {
      ServiceLoader.load(ChannelLayers.Factory.class, loader()).forEach(factories::add);
    } catch (ServiceConfigurationError e) {
      throw new IllegalStateException("a channel layer backend on the class path failed to load (" + e.getMessage()
          + ") while reading " + key + "='" + name + "'", e);
    }
    Set<String> known = new TreeSet<>();
    for (ChannelLayers.Factory f : factories) {
      for (String b : f.backends()) {
        if (b.equalsIgnoreCase(name)) {
          return new Found(f, b);
        }
        known.add(b.toLowerCase(Locale.ROOT));
      }
    }
    if (name.contains(".")) {
      Class<?> type;
      try {
        type = Class.forName(name, true, loader());
      } catch (ClassNotFoundException | LinkageError e) {
        type = null;
      }
      if (type != null) {
        if (!ChannelLayers.Factory.class.isAssignableFrom(type)) {
          throw new IllegalArgumentException(key + " names a class that is not a ChannelLayers.Factory, got '" + name
              + "'");
        }
        try {
          return new Found((ChannelLayers.Factory) type.getConstructor().newInstance(), name);
        } catch (ReflectiveOperationException | RuntimeException e) {
          throw new IllegalArgumentException(key + " names a factory without a public no-argument constructor that "
              + "works (" + e + "), got '" + name + "'", e);
        }
      }
    }
    String hint = known.contains("redis") ? "" : " (redis and redis-pubsub need io.channels4j:channels-redis)";
    throw new IllegalArgumentException(key + " must be one of " + known + " or the class name of a "
        + "ChannelLayers.Factory" + hint + ", got '" + name + "'");
  }

  private static ClassLoader loader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : LayerBackends.class.getClassLoader();
  }
}
