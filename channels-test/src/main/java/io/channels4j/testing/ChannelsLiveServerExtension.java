package io.channels4j.testing;

import io.channels4j.Application;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayers;
import io.channels4j.undertow.ChannelsServer;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JUnit 5 extension behind {@link ChannelsLiveServer}: starts the class's server (stopped when the class
 * ends), makes each test's layer before it and closes it after, and injects {@link LiveServer} and {@link
 * ChannelLayer} parameters. The server's application is {@link ChannelLayers#bind bound} to the test's
 * layer under {@link ChannelLayers#DEFAULT}, so the global registry is neither read nor written.
 */
public final class ChannelsLiveServerExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelsLiveServerExtension.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration DRAIN_POLL = Duration.ofMillis(5);
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(ChannelsLiveServerExtension.class);

  /** Created by JUnit. */
  public ChannelsLiveServerExtension() {}

  /** One class's server and the slot holding the running test's layer; closed with the class's context. */
  private record Running(LiveServer live, ChannelsServer server, AtomicReference<ChannelLayer> layer, ChannelsLiveServer config)
      implements AutoCloseable {
    @Override
    public void close() {
      server.stop();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    running(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Running r = running(context);
    ChannelLayer layer = TestLayers.create(TestLayers.kindFor(context, r.config().layer()), context);
    if (!r.layer().compareAndSet(null, layer)) {
      layer.close();
      throw new IllegalStateException("two tests of " + r.config() + " ran at once on one live server");
    }
  }

  /**
   * Waits (up to {@link #DRAIN_TIMEOUT}) for the connections the test opened to end, so their consumers leave
   * their groups before the layer closes under them; then flushes and closes the layer.
   */
  @Override
  public void afterEach(ExtensionContext context) {
    Running r = running(context);
    long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
    while (r.server().handler().activeConnections() > 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(DRAIN_POLL.toNanos());
    }
    int left = r.server().handler().activeConnections();
    if (left > 0) {
      LOG.warn("{} connection(s) still open {} after {}; closing its layer under them", left,
          DRAIN_TIMEOUT, context.getDisplayName());
    }
    ChannelLayer layer = r.layer().getAndSet(null);
    if (layer == null) {
      return;
    }
    try {
      layer.flush().toCompletableFuture().join();
    } finally {
      layer.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LiveServer.class || type == ChannelLayer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    LiveServer live = running(context).live();
    return parameter.getParameter().getType() == LiveServer.class ? live : live.layer();
  }

  /** The server of the test class {@code context} belongs to, started on first use. */
  private static Running running(ExtensionContext context) {
    ExtensionContext owner = classContext(context);
    return owner.getStore(NAMESPACE).computeIfAbsent(Running.class, k -> start(owner), Running.class);
  }

  /** The context of the outermost class carrying {@link ChannelsLiveServer} (nested classes share its server). */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext found = null;
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      if (c.getTestClass().isPresent() && c.getTestMethod().isEmpty()
          && AnnotationSupport.isAnnotated(c.getTestClass().get(), ChannelsLiveServer.class)) {
        found = c;
      }
    }
    if (found == null) {
      throw new ExtensionConfigurationException("ChannelsLiveServerExtension needs @ChannelsLiveServer on the test class");
    }
    return found;
  }

  private static Running start(ExtensionContext owner) {
    Class<?> testClass = owner.getRequiredTestClass();
    ChannelsLiveServer config = AnnotationSupport.findAnnotation(testClass, ChannelsLiveServer.class).orElseThrow();
    LiveServerSetup setup = instantiate(config.value());
    AtomicReference<ChannelLayer> layer = new AtomicReference<>();
    Application app = ChannelLayers.bind(setup.application(),
        alias -> ChannelLayers.DEFAULT.equals(alias) ? layer.get() : null);
    ChannelsServer.Builder builder = ChannelsServer.builder(app).host("127.0.0.1").port(0);
    setup.configure(builder);
    ChannelsServer server = builder.build().start();
    LOG.debug("live server for {} on port {}", testClass.getName(), server.port());
    return new Running(new LiveServer(server, layer), server, layer, config);
  }

  private static LiveServerSetup instantiate(Class<? extends LiveServerSetup> type) {
    try {
      Constructor<? extends LiveServerSetup> c = type.getDeclaredConstructor();
      c.setAccessible(true);
      return c.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ExtensionConfigurationException(type.getName() + " needs a no-argument constructor", e);
    }
  }
}
