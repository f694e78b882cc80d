/**
 * Consumers: one instance per connection, events dispatched by type to handler methods, one at a time.
 * {@link io.channels4j.consumer.AsyncConsumer} is the base; the sync family runs handlers on their own
 * threads.
 */
package io.channels4j.consumer;
