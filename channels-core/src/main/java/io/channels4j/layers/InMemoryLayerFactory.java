package io.channels4j.layers;

import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code inmemory} backend ({@code channels.layers.InMemoryChannelLayer}): {@code capacity}, {@code expiry},
 * {@code group-expiry}, {@code channel-capacity}, and {@code url} only as {@code memory:}.
 */
final class InMemoryLayerFactory implements ChannelLayers.Factory {

  static final String NAME = "inmemory";

  @Override
  public Set<String> backends() {
    return Set.of(NAME, "in-memory", "memory", "channels.layers.InMemoryChannelLayer");
  }

  @Override
  public Set<String> options(String backend) {
    return Set.of("url", "capacity", "expiry", "group-expiry", SettingValues.CHANNEL_CAPACITY);
  }

  @Override
  public Supplier<ChannelLayer> prepare(String backend, ChannelLayers.Settings settings) {
    settings.text("url").filter(url -> !LayerSettingsReader.isMemoryUrl(url)).ifPresent(url -> {
      throw new IllegalArgumentException(settings.property("url") + " must be memory: for the " + NAME
          + " backend, got '" + url + "'");
    });
    InMemoryChannelLayer.Builder b = InMemoryChannelLayer.builder();
    settings.positiveInt("capacity").ifPresent(b::capacity);
    settings.duration("expiry").ifPresent(b::expiry);
    settings.duration("group-expiry").ifPresent(b::groupExpiry);
    settings.channelCapacities().forEach(b::channelCapacity);
    return b::build;
  }
}
