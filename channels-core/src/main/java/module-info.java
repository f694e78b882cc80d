/**
 * Channels4J core: the application model, consumers, routers, middleware, the channel layer API with the
 * in-memory layer. The communicators (test tools) live in the channels-test module.
 *
 * <p>{@code io.channels4j.internal} is exported only to the sibling modules (auth, the Redis layer,
 * the Undertow server and the test tools); users cannot read it. Consumers living in a named module must open their package to
 * {@code io.channels4j} so their handler methods can be found, e.g. {@code opens com.example.chat to
 * io.channels4j;}.
 */
module io.channels4j {
  requires transitive com.fasterxml.jackson.databind;
  requires org.slf4j;

  exports io.channels4j;
  exports io.channels4j.consumer;
  exports io.channels4j.layers;
  exports io.channels4j.middleware;
  exports io.channels4j.routing;
  exports io.channels4j.worker;
  uses io.channels4j.layers.ChannelLayers.Factory;

  exports io.channels4j.internal to
      io.channels4j.auth, io.channels4j.redis, io.channels4j.undertow, io.channels4j.testing;
}
