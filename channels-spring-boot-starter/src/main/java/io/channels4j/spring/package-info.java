/**
 * Spring Boot auto-configuration for Channels4J: the channel layer from {@code channels.layers.*}
 * ({@link io.channels4j.spring.ChannelsProperties}), the Channels4J Undertow server as a lifecycle bean
 * ({@link io.channels4j.spring.ChannelsServerLifecycle}), and consumers as prototype-scoped beans
 * ({@link io.channels4j.spring.ConsumerFactory}). See {@link io.channels4j.spring.ChannelsAutoConfiguration}.
 */
package io.channels4j.spring;
