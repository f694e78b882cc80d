package io.channels4j.spring;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Puts the context's layers into the JVM-wide {@link ChannelLayers} registry, where consumers look them up:
 * the {@code ChannelLayer} bean as {@value ChannelLayers#DEFAULT}, and a layer built here for every other
 * alias under {@code channels.layers}. On shutdown it takes out what it put in (if still there) and closes the
 * layers it built; Spring closes the bean itself afterwards.
 */
final class ChannelLayerRegistration implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelLayerRegistration.class);

  private final Map<String, ChannelLayer> registered = new LinkedHashMap<>();
  private final Map<String, ChannelLayer> owned = new LinkedHashMap<>();

  ChannelLayerRegistration(ChannelLayer defaultLayer, ChannelsProperties properties) {
    register(ChannelLayers.DEFAULT, defaultLayer);
    try {
      properties.layers().forEach((alias, settings) -> {
        if (!alias.equals(ChannelLayers.DEFAULT)) {
          ChannelLayer layer = ChannelLayerFactory.create(alias, settings);
          owned.put(alias, layer);
          register(alias, layer);
        }
      });
    } catch (RuntimeException e) {
      destroy();
      throw e;
    }
  }

  private void register(String alias, ChannelLayer layer) {
    ChannelLayers.set(alias, layer).filter(previous -> previous != layer).ifPresent(previous ->
        LOG.warn("Channel layer alias '{}' was already registered ({}); this application context replaces it "
            + "with {}. ChannelLayers holds one layer per alias per JVM.", alias, previous, layer));
    registered.put(alias, layer);
    LOG.info("Channel layer '{}': {}", alias, layer);
  }

  /** The layers this registration put in, by alias. */
  Map<String, ChannelLayer> layers() {
    return Map.copyOf(registered);
  }

  @Override
  public void destroy() {
    registered.forEach((alias, layer) -> {
      if (ChannelLayers.get(alias).orElse(null) == layer) {
        ChannelLayers.remove(alias);
      }
    });
    registered.clear();
    owned.forEach((alias, layer) -> {
      try {
        layer.close();
      } catch (Exception e) {
        LOG.warn("Closing channel layer '{}' failed", alias, e);
      }
    });
    owned.clear();
  }
}
