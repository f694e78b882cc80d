package io.channels4j.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Message;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChannelLayers#configure(Map)}: the {@code CHANNEL_LAYERS} reader, with the in-memory backend. */
class ChannelLayersConfigureTest {

  private static final String D = "channels.layers.default.";

  @AfterEach
  void clear() {
    ChannelLayers.remove("default");
    ChannelLayers.remove("events");
  }

  /** A backend named by class that counts how often it prepares and creates layers. */
  public static final class CountingFactory implements ChannelLayers.Factory {
    static final AtomicInteger PREPARED = new AtomicInteger();
    static final AtomicInteger CREATED = new AtomicInteger();

    @Override
    public Set<String> backends() {
      return Set.of("counting");
    }

    @Override
    public Set<String> options(String backend) {
      return Set.of("capacity", "flavour");
    }

    @Override
    public Supplier<ChannelLayer> prepare(String backend, ChannelLayers.Settings settings) {
      PREPARED.incrementAndGet();
      int capacity = settings.positiveInt("capacity").orElse(100);
      return () -> {
        CREATED.incrementAndGet();
        return InMemoryChannelLayer.builder().capacity(capacity).build();
      };
    }
  }

  private static Message msg(int n) {
    return Message.of("test.message", "n", n);
  }

  @Test
  void inMemoryLayerFromSettingsSendsReceivesAndGroupSends() throws Exception {
    try (ChannelLayers.Configuration c = ChannelLayers.configure(Map.of(D + "backend", "inmemory",
        D + "capacity", "2", D + "expiry", "30s", D + "group-expiry", "PT1H", D + "channel-capacity.big.*", "3"))) {
      ChannelLayer layer = ChannelLayers.get().orElseThrow();
      assertThat(layer).isInstanceOf(InMemoryChannelLayer.class).isSameAs(ChannelLayers.get("default").orElseThrow());
      layer.send("small", msg(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
      layer.send("small", msg(2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThatThrownBy(() -> layer.send("small", msg(3)).toCompletableFuture().join())
          .hasCauseInstanceOf(ChannelFullException.class);
      for (int i = 0; i < 3; i++) {
        layer.send("big.one", msg(i)).toCompletableFuture().get(5, TimeUnit.SECONDS);
      }
      assertThat(layer.receive("small").toCompletableFuture().get(5, TimeUnit.SECONDS).getInt("n", -1)).isEqualTo(1);
      String channel = layer.newChannel().toCompletableFuture().get(5, TimeUnit.SECONDS);
      layer.groupAdd("room", channel).toCompletableFuture().get(5, TimeUnit.SECONDS);
      layer.groupSend("room", msg(7)).toCompletableFuture().get(5, TimeUnit.SECONDS);
      assertThat(layer.receive(channel).toCompletableFuture().get(5, TimeUnit.SECONDS).getInt("n", -1)).isEqualTo(7);
      assertThat(c.backend("default")).contains("inmemory");
    }
  }

  @Test
  void withoutBackendOrUrlTheLayerIsInMemoryAndMemoryUrlToo() {
    ChannelLayers.Configuration c = ChannelLayers.Configuration.read(Map.of(D + "capacity", "5",
        "channels.layers.events.url", "memory:", "spring.application.name", "ignored"));
    assertThat(c.aliases()).containsExactlyInAnyOrder("default", "events");
    assertThat(c.backend("events")).contains("inmemory");
    assertThat(c.get("events")).containsInstanceOf(InMemoryChannelLayer.class);
    assertThat(c.get("nope")).isEmpty();
    assertThat(ChannelLayers.get("events")).as("read registers nothing").isEmpty();
    c.close();
  }

  @Test
  void layersAreCreatedOnFirstLookupAndCloseUnregistersAndCloses() {
    CountingFactory.PREPARED.set(0);
    CountingFactory.CREATED.set(0);
    ChannelLayers.Configuration c = ChannelLayers.configure(Map.of(
        D + "backend", CountingFactory.class.getName(), D + "capacity", "4"));
    assertThat(CountingFactory.PREPARED).hasValue(1);
    assertThat(CountingFactory.CREATED).as("nothing created before the first lookup").hasValue(0);
    ChannelLayer first = ChannelLayers.get().orElseThrow();
    assertThat(ChannelLayers.get()).containsSame(first);
    assertThat(c.get("default")).containsSame(first);
    assertThat(CountingFactory.CREATED).hasValue(1);

    c.close();
    assertThat(ChannelLayers.get()).isEmpty();
    assertThatThrownBy(() -> first.send("after", msg(1)).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class);
    assertThatThrownBy(() -> c.get("default")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void closeLeavesAnAliasThatWasSetSinceAlone() {
    ChannelLayers.Configuration c = ChannelLayers.configure(Map.of(D + "capacity", "4"));
    InMemoryChannelLayer mine = InMemoryChannelLayer.create();
    ChannelLayers.set("default", mine);
    c.close();
    assertThat(ChannelLayers.get()).containsSame(mine);
  }

  @Test
  void badValuesAreRejectedAtOnceNamingTheKeyAndQuotingTheValue() {
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "capacity", "abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("channels.layers.default.capacity must be a positive whole number, got 'abc'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "capacity", "0")))
        .hasMessage("channels.layers.default.capacity must be a positive whole number, got '0'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "group_expiry", "soon")))
        .hasMessageStartingWith("channels.layers.default.group-expiry must be a positive duration")
        .hasMessageEndingWith("got 'soon'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "expiry", "0s")))
        .hasMessageEndingWith("got '0s'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "channel-capacity", "http.request=200,websocket")))
        .hasMessageContaining("channels.layers.default.channel-capacity must list glob=capacity pairs")
        .hasMessageEndingWith("got 'websocket'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "url", "http://localhost:6379")))
        .hasMessageContaining("channels.layers.default.url must be memory: or a redis://")
        .hasMessageEndingWith("got 'http://localhost:6379'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "backend", "inmemory", D + "url", "redis://x")))
        .hasMessage("channels.layers.default.url must be memory: for the inmemory backend, got 'redis://x'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of("channels.layers.use-test-config", "yes")))
        .hasMessage("channels.layers.use-test-config must be true or false, got 'yes'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of("channels.layers.default", "x")))
        .hasMessageStartingWith("channels.layers.default is not a layer setting");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "expiry", "5", D + "EXPIRY", "6")))
        .hasMessageContaining("is given twice");
    assertThat(ChannelLayers.get()).as("nothing registered after an error").isEmpty();
  }

  @Test
  void unknownKeysAndBackendsAreErrorsListingTheKnownOnes() {
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "capacity", "5", D + "prefix", "myapp")))
        .hasMessage("channels.layers.default.prefix is not an option of backend 'inmemory' (its options: [capacity,"
            + " channel-capacity, expiry, group-expiry, url]), got 'myapp'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "backend", "carrier-pigeon")))
        .hasMessageStartingWith("channels.layers.default.backend must be one of [")
        .hasMessageContaining("inmemory")
        .hasMessageEndingWith("got 'carrier-pigeon'");
    assertThatThrownBy(() -> ChannelLayers.configure(Map.of(D + "backend", "java.lang.String")))
        .hasMessage("channels.layers.default.backend names a class that is not a ChannelLayers.Factory, got "
            + "'java.lang.String'");
  }

  @Test
  void snakeCaseAndPythonClassPathsAreAccepted() {
    ChannelLayers.Configuration c = ChannelLayers.Configuration.read(Map.of(
        D + "BACKEND", "channels.layers.InMemoryChannelLayer", D + "group_expiry", "10", D + "channel_capacity",
        "a.*=1,a.b=5"));
    ChannelLayer layer = c.get("default").orElseThrow();
    layer.send("a.b", msg(1)).toCompletableFuture().join();
    assertThatThrownBy(() -> layer.send("a.b", msg(2)).toCompletableFuture().join())
        .as("patterns tried in the order listed: a.* (1) matches first").hasCauseInstanceOf(ChannelFullException.class);
    c.close();
  }

  @Test
  void perGlobKeysAreTriedLongestFirst() {
    ChannelLayers.Settings s = new ChannelLayers.Settings(D, Map.of("channel-capacity.a.*", "1",
        "channel-capacity.a.b*", "5", "channel-capacity", "x=9"));
    assertThat(s.channelCapacities()).containsExactly(Map.entry("x", 9), Map.entry("a.b*", 5), Map.entry("a.*", 1));
    assertThat(s.duration("x")).isEmpty();
    assertThat(new ChannelLayers.Settings(D, Map.of("t", "500ms")).duration("t")).contains(Duration.ofMillis(500));
    assertThat(new ChannelLayers.Settings(D, Map.of("t", "2m")).duration("t")).contains(Duration.ofMinutes(2));
    assertThat(new ChannelLayers.Settings(D, Map.of("t", " 60 ")).duration("t")).contains(Duration.ofSeconds(60));
    assertThat(new ChannelLayers.Settings(D, Map.of("h", "a, b")).list("h")).containsExactly("a", "b");
    assertThatThrownBy(() -> new ChannelLayers.Settings(D, Map.of("h", "a,,b")).list("h"))
        .hasMessage("channels.layers.default.h must be a comma-separated list without empty items, got 'a,,b'");
  }

  @Test
  void testConfigReplacesTheOptionsOnlyWhenAskedFor() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(D + "backend", "redis"); // not on core's class path: only the test config may be read
    settings.put(D + "url", "redis://prod:6379");
    settings.put(D + "test.backend", "inmemory");
    settings.put(D + "test.capacity", "1");
    assertThatThrownBy(() -> ChannelLayers.Configuration.read(settings))
        .hasMessageContaining("channels.layers.default.backend must be one of")
        .hasMessageContaining("need io.channels4j:channels-redis").hasMessageEndingWith("got 'redis'");

    settings.put("channels.layers.use-test-config", "true");
    ChannelLayers.Configuration c = ChannelLayers.Configuration.read(settings);
    assertThat(c.backend("default")).contains("inmemory");
    ChannelLayer layer = c.get("default").orElseThrow();
    layer.send("one", msg(1)).toCompletableFuture().join();
    assertThatThrownBy(() -> layer.send("one", msg(2)).toCompletableFuture().join())
        .as("test.capacity=1 applies").hasCauseInstanceOf(ChannelFullException.class);
    c.close();

    settings.put(D + "test.prefix", "x");
    assertThatThrownBy(() -> ChannelLayers.Configuration.read(settings))
        .hasMessageStartingWith("channels.layers.default.test.prefix is not an option of backend 'inmemory'");
  }

  @Test
  void testConfigCanBeSwitchedOnByASystemProperty() {
    Map<String, String> settings = Map.of(D + "capacity", "50", D + "test.url", "memory:", D + "test.capacity", "1");
    System.setProperty("channels.layers.use-test-config", "true");
    try {
      ChannelLayers.Configuration c = ChannelLayers.Configuration.read(settings);
      ChannelLayer layer = c.get("default").orElseThrow();
      layer.send("one", msg(1)).toCompletableFuture().join();
      assertThatThrownBy(() -> layer.send("one", msg(2)).toCompletableFuture().join())
          .hasCauseInstanceOf(ChannelFullException.class);
      c.close();
    } finally {
      System.clearProperty("channels.layers.use-test-config");
    }
  }

  @Test
  void environmentVariablesMapToKeysAndSystemPropertiesWin() {
    Properties system = new Properties();
    system.setProperty("channels.layers.default.capacity", "7");
    system.setProperty("user.home", "/ignored");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CHANNELS_LAYERS_DEFAULT_URL", "redis://redis:6379/0");
    env.put("CHANNELS_LAYERS_DEFAULT_GROUP_EXPIRY", "10");
    env.put("CHANNELS_LAYERS_DEFAULT_CAPACITY", "3");
    env.put("CHANNELS_LAYERS_DEFAULT_CHANNEL_CAPACITY", "http.request=200,websocket.send!*=20");
    env.put("CHANNELS_LAYERS_DEFAULT_TEST_BACKEND", "inmemory");
    env.put("CHANNELS_LAYERS_EVENTS_SYMMETRIC_ENCRYPTION_KEYS", "k1,k2");
    env.put("CHANNELS_LAYERS_USE_TEST_CONFIG", "true");
    env.put("PATH", "/usr/bin");
    Map<String, String> settings = LayerSettingsReader.environment(env, system);
    assertThat(settings).containsExactlyInAnyOrderEntriesOf(Map.of(
        "channels.layers.default.url", "redis://redis:6379/0",
        "channels.layers.default.group-expiry", "10",
        "channels.layers.default.capacity", "7",
        "channels.layers.default.channel-capacity", "http.request=200,websocket.send!*=20",
        "channels.layers.default.test.backend", "inmemory",
        "channels.layers.events.symmetric-encryption-keys", "k1,k2",
        "channels.layers.use-test-config", "true",
        "user.home", "/ignored"));
    assertThatThrownBy(() -> LayerSettingsReader.environment(Map.of("CHANNELS_LAYERS_DEFAULT", "x"), new Properties()))
        .hasMessageContaining("environment variable CHANNELS_LAYERS_DEFAULT must be named CHANNELS_LAYERS_<ALIAS>_");
  }

  @Test
  void propertiesFormReadsTheSameKeys() throws Exception {
    Properties p = new Properties();
    p.load(new java.io.StringReader("channels.layers.default.backend = inmemory\n"
        + "channels.layers.default.channel-capacity.http.request = 1\n"));
    try (ChannelLayers.Configuration c = ChannelLayers.configure(p)) {
      ChannelLayer layer = ChannelLayers.get().orElseThrow();
      layer.send("http.request", msg(1)).toCompletableFuture().join();
      assertThatThrownBy(() -> layer.send("http.request", msg(2)).toCompletableFuture().join())
          .hasCauseInstanceOf(ChannelFullException.class);
      assertThat(c.aliases()).containsExactly("default");
    }
  }

  @Test
  void backendsAreFoundWithServiceLoaderThroughTheContextClassLoader(@TempDir Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(ChannelLayers.Factory.class.getName()), CountingFactory.class.getName() + "\n");
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, previous)) {
      Thread.currentThread().setContextClassLoader(loader);
      ChannelLayers.Configuration c = ChannelLayers.Configuration.read(Map.of(D + "backend", "COUNTING",
          D + "flavour", "plain"));
      assertThat(c.backend("default")).contains("COUNTING");
      assertThat(c.get("default")).containsInstanceOf(InMemoryChannelLayer.class);
      c.close();
      assertThatThrownBy(() -> ChannelLayers.Configuration.read(Map.of(D + "backend", "counting", D + "url", "x")))
          .hasMessage("channels.layers.default.url is not an option of backend 'counting' (its options: [capacity, "
              + "flavour]), got 'x'");
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }
}
