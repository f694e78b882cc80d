package io.channels4j.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs a test class against a live {@code ChannelsServer} on an ephemeral port: the Java form of Channels'
 * {@code ChannelsLiveServerTestCase}. The server starts once for the class and stops after it; every test
 * gets a fresh channel layer of its own (closed after the test), bound to the server's application with
 * {@code ChannelLayers.bind}, so nothing global is touched and annotated classes may run in parallel.
 * Tests of one class run one at a time (they share the server); tests of different classes run side by side
 * when JUnit's parallel execution is on.
 *
 * <pre>{@code
 * @ChannelsLiveServer(ChatSetup.class)
 * class ChatLiveTest {
 *   @Test
 *   void broadcast(LiveServer server) {
 *     URI socket = server.wsUri("/ws/chat/lobby/");
 *     server.layer().groupSend("chat_lobby", Message.of("chat.message", "message", "hi"));
 *   }
 * }
 * }</pre>
 *
 * <p>Tests and lifecycle methods may declare parameters of type {@link LiveServer} and {@code
 * ChannelLayer} (the current test's layer).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ChannelsLiveServerExtension.class)
@ResourceLock(providers = OneTestPerServer.class)
public @interface ChannelsLiveServer {

  /** {@return what the server serves, and how it is configured} */
  Class<? extends LiveServerSetup> value();

  /**
   * The kind of layer each test gets, unless the test says otherwise with {@link UseLayer}. The system
   * property or environment variable {@value #LAYER_PROPERTY} ({@code in_memory} or {@code redis}) overrides
   * it for a whole run, so one suite runs against every layer.
   *
   * @return the class's default kind of layer
   */
  Layer layer() default Layer.IN_MEMORY;

  /** The system property (or, upper-cased with dots as underscores, environment variable) that overrides {@link #layer()}. */
  String LAYER_PROPERTY = "channels.test.layer";

  /** The kinds of channel layer a test can run on. */
  enum Layer {
    /** A new {@code InMemoryChannelLayer} per test. */
    IN_MEMORY,
    /**
     * A new Redis layer per test, under a key prefix of its own: on the Redis at {@code REDIS_URL} when that
     * is set, else on a {@code redis-server} started on a free loopback port for the whole run. Without
     * either (or without channels-redis on the test classpath) the test is skipped, or fails when {@code
     * CI=true}.
     */
    REDIS
  }
}
