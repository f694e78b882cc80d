package io.channels4j.spring;

import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Puts the context's layers into the JVM-wide {@link ChannelLayers} registry, where consumers look them up:
 * the {@code ChannelLayer} bean as {@value ChannelLayers#DEFAULT}, and a layer built here for every other
 * alias under {@code channels.layers}. On shutdown it closes the layers it built (Spring closes the bean
 * afterwards) and hands each alias back to the layer of the most recent context still open, if any: so a test
 * context closed with {@code @DirtiesContext} gives the alias back to the cached context that had it before.
 * Contexts open at the same time share one registry; the last one started owns each alias.
 */
final class ChannelLayerRegistration implements DisposableBean {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelLayerRegistration.class);

  /** Per alias, the layers of live registrations, most recent first: the first is the registered one. */
  private static final Map<String, Deque<ChannelLayer>> LIVE = new HashMap<>();

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
    synchronized (LIVE) {
      LIVE.computeIfAbsent(alias, a -> new ArrayDeque<>()).push(layer);
      ChannelLayers.set(alias, layer).filter(previous -> previous != layer).ifPresent(previous ->
          LOG.warn("Channel layer alias '{}' was already registered ({}); this application context replaces it "
              + "with {} until it closes. ChannelLayers holds one layer per alias per JVM.", alias, previous, layer));
    }
    registered.put(alias, layer);
    LOG.info("Channel layer '{}': {}", alias, layer);
  }


  @Override
  public void destroy() {
    synchronized (LIVE) {
      registered.forEach((alias, layer) -> {
        Deque<ChannelLayer> live = LIVE.getOrDefault(alias, new ArrayDeque<>());
        live.removeFirstOccurrence(layer);
        if (ChannelLayers.get(alias).orElse(null) == layer) {
          if (live.isEmpty()) {
            ChannelLayers.remove(alias);
          } else {
            ChannelLayers.set(alias, live.peek());
          }
        }
        if (live.isEmpty()) {
          LIVE.remove(alias);
        }
      });
    }
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
