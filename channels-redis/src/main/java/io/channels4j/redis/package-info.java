/**
 * Redis channel layers on lettuce-core, wire-compatible with Python's {@code channels_redis}.
 *
 * <p>{@link io.channels4j.redis.RedisChannelLayer} is {@code channels_redis.core.RedisChannelLayer} (sharded
 * hosts, Sentinel, or Redis Cluster with its own key layout); {@link io.channels4j.redis.RedisPubSubChannelLayer}
 * is {@code channels_redis.pubsub.RedisPubSubChannelLayer}. {@link io.channels4j.redis.RedisSessionStore} keeps
 * {@code channels-auth} sessions in Redis, shared by every node.
 */
package io.channels4j.redis;
