package io.channels4j.spring;

import io.channels4j.Application;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Channels4J for Spring Boot:
 *
 * <ul>
 *   <li>a {@link ChannelLayer} bean from {@code channels.layers.default.*} (in memory unless a Redis URL is
 *       given), unless the application defines its own {@code ChannelLayer} bean; registered in {@link
 *       ChannelLayers} as {@value ChannelLayers#DEFAULT} (with any other alias under {@code channels.layers})
 *       and closed with the context;
 *   <li>a {@link ConsumerFactory}, to route to prototype-scoped consumer beans;
 *   <li>when the application defines an {@link Application} bean (its routing), a {@link
 *       ChannelsServerLifecycle} serving it on the Channels4J Undertow server, configured by {@code
 *       channels.server.*} (off with {@code channels.server.enabled=false}).
 * </ul>
 */
@AutoConfiguration
@EnableConfigurationProperties(ChannelsProperties.class)
public final class ChannelsAutoConfiguration {

  /** Created by Spring. */
  public ChannelsAutoConfiguration() {}

  @Bean
  @ConditionalOnMissingBean(ChannelLayer.class)
  ChannelLayer channelLayer(ChannelsProperties properties) {
    return ChannelLayerFactory.create(ChannelLayers.DEFAULT, properties.layers().get(ChannelLayers.DEFAULT));
  }

  @Bean
  ChannelLayerRegistration channelLayerRegistration(ChannelLayer channelLayer, ChannelsProperties properties) {
    return new ChannelLayerRegistration(channelLayer, properties);
  }

  @Bean
  @ConditionalOnMissingBean
  ConsumerFactory channelsConsumerFactory(ListableBeanFactory beans) {
    return new ConsumerFactory(beans);
  }

  @Bean
  @ConditionalOnBean(Application.class)
  @ConditionalOnBooleanProperty(name = "channels.server.enabled", matchIfMissing = true)
  ChannelsServerLifecycle channelsServer(Application application, ChannelsProperties properties,
      ChannelLayerRegistration layers, ConfigurableEnvironment environment) {
    // Depends on the registration, so consumers find their layer from the first connection on.
    return new ChannelsServerLifecycle(application, properties.server(), environment);
  }
}
