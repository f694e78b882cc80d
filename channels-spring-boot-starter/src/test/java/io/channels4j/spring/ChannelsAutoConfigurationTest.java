package io.channels4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.Message;
import io.channels4j.consumer.AsyncConsumer;
import io.channels4j.layers.ChannelFullException;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayerUnavailableException;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.layers.InMemoryChannelLayer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * The auto-configuration's contract, context by context: which layer comes out of which properties, how the
 * registry follows the contexts, when the server runs, and how consumer beans are checked.
 */
class ChannelsAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ChannelsAutoConfiguration.class));

  /** Cached test contexts of other classes may hold the alias; each test compares against what was there. */
  private Optional<ChannelLayer> before;

  @BeforeEach
  void rememberTheRegistry() {
    before = ChannelLayers.get();
  }

  @Test
  void withoutPropertiesTheDefaultLayerIsInMemoryRegisteredAndClosedWithTheContext() {
    ChannelLayer[] seen = new ChannelLayer[1];
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(ChannelsServerLifecycle.class);
      seen[0] = context.getBean(ChannelLayer.class);
      assertThat(seen[0]).isInstanceOf(InMemoryChannelLayer.class);
      assertThat(ChannelLayers.get()).containsSame(seen[0]);
    });
    assertThat(ChannelLayers.get()).isEqualTo(before);
    assertThatThrownBy(() -> await(seen[0].send("after.close", Message.of("x"))))
        .hasCauseInstanceOf(ChannelLayerUnavailableException.class);
  }

  @Test
  void layerOptionsComeFromProperties() {
    runner.withPropertyValues("channels.layers.default.url=memory:", "channels.layers.default.capacity=2",
        "channels.layers.default.channel-capacity[big.*]=3").run(context -> {
          ChannelLayer layer = context.getBean(ChannelLayer.class);
          await(layer.send("small", Message.of("m")));
          await(layer.send("small", Message.of("m")));
          assertThatThrownBy(() -> await(layer.send("small", Message.of("m"))))
              .hasCauseInstanceOf(ChannelFullException.class);
          for (int i = 0; i < 3; i++) {
            await(layer.send("big.one", Message.of("m")));
          }
          assertThatThrownBy(() -> await(layer.send("big.one", Message.of("m"))))
              .hasCauseInstanceOf(ChannelFullException.class);
        });
  }

  @Test
  void anApplicationLayerBeanReplacesTheAutoConfiguredOne() {
    InMemoryChannelLayer own = InMemoryChannelLayer.builder().capacity(1).build();
    runner.withBean(ChannelLayer.class, () -> own).run(context -> {
      assertThat(context.getBean(ChannelLayer.class)).isSameAs(own);
      assertThat(ChannelLayers.get()).containsSame(own);
    });
    assertThat(ChannelLayers.get()).isEqualTo(before);
  }

  @Test
  void otherAliasesAreRegisteredToo_andClosedWithTheContext() {
    ChannelLayer[] events = new ChannelLayer[1];
    runner.withPropertyValues("channels.layers.events.capacity=1").run(context -> {
      events[0] = ChannelLayers.get("events").orElseThrow();
      await(events[0].send("e", Message.of("m")));
      assertThatThrownBy(() -> await(events[0].send("e", Message.of("m"))))
          .hasCauseInstanceOf(ChannelFullException.class);
    });
    assertThat(ChannelLayers.get("events")).isEmpty();
    assertThatThrownBy(() -> await(events[0].send("e2", Message.of("m"))))
        .hasCauseInstanceOf(ChannelLayerUnavailableException.class);
  }

  @Test
  void closingTheNewerContextHandsTheAliasBackToTheOlderOne() {
    ChannelLayer first = InMemoryChannelLayer.create();
    ChannelLayer second = InMemoryChannelLayer.create();
    runner.withBean(ChannelLayer.class, () -> first).run(older -> {
      runner.withBean(ChannelLayer.class, () -> second)
          .run(newer -> assertThat(ChannelLayers.get()).containsSame(second));
      assertThat(ChannelLayers.get()).containsSame(first);
    });
    assertThat(ChannelLayers.get()).isEqualTo(before);
  }

  @Test
  void aBadUrlFailsStartupNamingTheProperty() {
    runner.withPropertyValues("channels.layers.default.url=http://localhost:6379").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("channels.layers.default.url").hasMessageContaining("http://localhost:6379"));
  }

  @Test
  void aRedisOnlyOptionOnTheInMemoryLayerFailsStartup() {
    runner.withPropertyValues("channels.layers.default.prefix=myapp").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageStartingWith("channels.layers.default.prefix is not an option of backend 'inmemory'")
            .hasMessageContaining("its options: [capacity, channel-capacity, expiry, group-expiry, url]"));
  }

  @Test
  void anApplicationBeanIsServedOnTheConfiguredPortUntilTheContextCloses() throws IOException {
    Application app = (scope, receive, send) -> Application.done();
    int[] port = new int[1];
    runner.withBean(Application.class, () -> app)
        .withPropertyValues("channels.server.port=0", "channels.server.max-message-size=64KB")
        .run(context -> {
          ChannelsServerLifecycle server = context.getBean(ChannelsServerLifecycle.class);
          assertThat(server.isRunning()).isTrue();
          port[0] = server.port();
          assertThat(port[0]).isPositive();
          assertThat(context.getEnvironment().getProperty(ChannelsServerLifecycle.PORT_PROPERTY, Integer.class))
              .isEqualTo(port[0]);
          try (Socket socket = new Socket("127.0.0.1", port[0])) {
            assertThat(socket.isConnected()).isTrue();
          }

          // A stopped context frees the port; started again, it serves on a fresh server.
          int first = port[0];
          context.stop();
          assertThat(server.isRunning()).isFalse();
          assertThatThrownBy(() -> new Socket("127.0.0.1", first).close()).isInstanceOf(ConnectException.class);
          context.start();
          port[0] = server.port();
          try (Socket socket = new Socket("127.0.0.1", port[0])) {
            assertThat(socket.isConnected()).isTrue();
          }
        });
    assertThatThrownBy(() -> new Socket("127.0.0.1", port[0]).close()).isInstanceOf(ConnectException.class);
  }

  @Test
  void theServerCanBeTurnedOff() {
    runner.withBean(Application.class, () -> (scope, receive, send) -> Application.done())
        .withPropertyValues("channels.server.enabled=false")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ChannelsServerLifecycle.class));
  }

  @Test
  void consumerBeansMustBePrototypes() {
    runner.withBean(PrototypeConsumer.class, PrototypeConsumer::new, bd -> bd.setScope(BeanDefinition.SCOPE_PROTOTYPE))
        .withBean(SingletonConsumer.class)
        .run(context -> {
          ConsumerFactory consumers = context.getBean(ConsumerFactory.class);
          Supplier<PrototypeConsumer> supplier = consumers.of(PrototypeConsumer.class);
          assertThat(supplier.get()).isNotSameAs(supplier.get());
          assertThatThrownBy(() -> consumers.of(SingletonConsumer.class))
              .hasMessageContaining("must be prototype-scoped");
          assertThatThrownBy(() -> consumers.of(UnknownConsumer.class))
              .hasMessageContaining("no bean of consumer type").hasMessageContaining("UnknownConsumer");
        });
  }

  private static void await(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static class PrototypeConsumer extends AsyncConsumer {}

  static class SingletonConsumer extends AsyncConsumer {}

  static class UnknownConsumer extends AsyncConsumer {}
}
