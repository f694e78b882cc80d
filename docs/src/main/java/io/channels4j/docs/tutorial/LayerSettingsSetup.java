package io.channels4j.docs.tutorial;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Channels' CHANNEL_LAYERS setting read from a properties file or the environment. */
public final class LayerSettingsSetup {

  private LayerSettingsSetup() {}

  /**
   * Configures the layers from {@code settings} (or, without a file, from {@code CHANNELS_LAYERS_*}), runs
   * {@code app} and closes the layers after it.
   *
   * @param settings a properties file with {@code channels.layers.*} keys, or null
   * @param app what runs while the layers are configured
   * @throws IOException if the file cannot be read
   */
  public static void run(Path settings, Runnable app) throws IOException {
    // tag::configure[]
    Properties properties = new Properties();
    if (settings != null) {
      try (Reader in = Files.newBufferedReader(settings)) {
        properties.load(in);
      }
    }
    try (ChannelLayers.Configuration layers = settings != null
        ? ChannelLayers.configure(properties)         // checks every value now
        : ChannelLayers.configureFromEnvironment()) { // CHANNELS_LAYERS_DEFAULT_URL=redis://...
      ChannelLayer layer = ChannelLayers.get().orElseThrow(); // created here, on first use
      System.out.println("layers " + layers.aliases() + ", default: " + layer);
      app.run(); // consumers find ChannelLayers.get("default") as before
    } // closes the layers it created
    // end::configure[]
  }
}
