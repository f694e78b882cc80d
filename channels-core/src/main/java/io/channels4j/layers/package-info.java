/**
 * Channel layers: the {@link io.channels4j.layers.ChannelLayer} API, its name rules, the registry by
 * alias, and the in-memory layer.
 */
package io.channels4j.layers;
