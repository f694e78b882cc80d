package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Message;
import io.channels4j.layers.ChannelFullException;
import io.channels4j.layers.ChannelLayer;
import io.channels4j.layers.ChannelLayer.HistoryLimits;
import io.channels4j.layers.ChannelNames;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Redis-specific behaviour: wire format, sharding, per-process capacity, connections, validation. */
class RedisChannelLayerTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(2);

  private static RedisClient client;
  private static List<StatefulRedisConnection<byte[], byte[]>> raw;
  private final List<RedisChannelLayer> layers = new ArrayList<>();

  @BeforeAll
  static void connect() {
    client = RedisClient.create();
    raw = new ArrayList<>();
    for (String uri : REDIS.uris()) {
      raw.add(client.connect(ByteArrayCodec.INSTANCE, io.lettuce.core.RedisURI.create(uri)));
    }
  }

  @AfterAll
  static void disconnect() {
    raw.forEach(StatefulRedisConnection::close);
    client.shutdown();
  }

  @AfterEach
  void closeLayers() {
    for (RedisChannelLayer l : layers) {
      l.sync().flush();
      l.close();
    }
  }

  private RedisChannelLayer open(RedisChannelLayer.Builder b) {
    RedisChannelLayer l = b.build();
    layers.add(l);
    return l;
  }

  private RedisChannelLayer one() {
    return open(RedisChannelLayer.builder().host(REDIS.uris().get(0)));
  }

  private static RedisCommands<byte[], byte[]> redis(int shard) {
    return raw.get(shard).sync();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> unpack(byte[] member) {
    return (Map<String, Object>) MsgPack.decode(member, 12, member.length - 12);
  }

  @Test
  void consistentHashMatchesChannelsRedisVectors() {
    Object[][] vectors = {
        {"room1", 1, 1, 3},
        {"chat_lobby", 1, 1, 2},
        {"specific.1233c3cbc299408b911a38f5322a6590!", 1, 2, 3},
        {"specific.1233c3cbc299408b911a38f5322a6590!382ff764abce4779880e074c44442d95", 0, 0, 0},
        {"asgi__group__room1", 0, 1, 1},
    };
    for (Object[] v : vectors) {
      String s = (String) v[0];
      assertThat(ConsistentHash.shard(s, 1)).isZero();
      assertThat(ConsistentHash.shard(s, 2)).as("%s n=2", s).isEqualTo(v[1]);
      assertThat(ConsistentHash.shard(s, 3)).as("%s n=3", s).isEqualTo(v[2]);
      assertThat(ConsistentHash.shard(s, 5)).as("%s n=5", s).isEqualTo(v[3]);
    }
  }

  @Test
  void directSendStoresChannelsRedisMembersUnderTheProcessKey() {
    RedisChannelLayer l = one();
    String ch = l.sync().newChannel();
    assertThat(ch).matches("specific\\.[0-9a-f]{32}![0-9a-f]{32}");
    l.sync().send(ch, Message.of("chat.message", "text", "hi"));
    byte[] key = b("asgi" + ChannelNames.nonLocalName(ch));
    List<ScoredValue<byte[]>> members = redis(0).zrangeWithScores(key, 0, -1);
    assertThat(members).hasSize(1);
    Map<String, Object> m = unpack(members.get(0).getValue());
    assertThat(m).containsEntry("type", "chat.message").containsEntry("text", "hi").containsEntry("__asgi_channel__", ch);
    assertThat(members.get(0).getScore()).isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(5.0));
    assertThat(redis(0).ttl(key)).isBetween(1L, 60L);
  }

  /** One script records and sends: the stored member is channels_redis's, with the id as a msgpack string. */
  @Test
  void recordedGroupSendStoresTheIdInsideTheMemberItWrites() throws Exception {
    RedisChannelLayer a = one();
    String a1 = a.sync().newChannel();
    String a2 = a.sync().newChannel();
    a.sync().groupAdd("hroom", a1);
    a.sync().groupAdd("hroom", a2);
    HistoryLimits limits = HistoryLimits.lastMessages(3);
    String long1 = "x".repeat(40); // a str8 value before the id, and ids of growing length after it
    for (int i = 1; i <= 11; i++) {
      String id = a.groupSendRecorded("hroom", Message.of("chat.message", "message", long1, "n", i), limits)
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertThat(id).isEqualTo(Integer.toString(i));
    }
    List<byte[]> stored = redis(0).zrange(b("asgi" + ChannelNames.nonLocalName(a1)), 0, -1);
    assertThat(stored).hasSize(11);
    Map<String, Object> last = stored.stream().map(RedisChannelLayerTest::unpack)
        .filter(m -> Long.valueOf(11).equals(m.get("n"))).findFirst().orElseThrow();
    assertThat(new ArrayList<>(last.keySet())).containsExactly("type", "message", "n", "history_id", "__asgi_channel__");
    assertThat(last).containsEntry("history_id", "11").containsEntry("message", long1)
        .containsEntry("__asgi_channel__", List.of(a1, a2));
    for (String ch : List.of(a1, a2)) {
      for (int i = 1; i <= 11; i++) {
        Message m = a.sync().receive(ch);
        assertThat(m.getLong("n", 0)).isEqualTo(i);
        assertThat(m.getString(ChannelLayer.HISTORY_ID)).isEqualTo(Integer.toString(i));
      }
    }
    ChannelLayer.HistoryPage page = a.groupHistory("hroom", "0", 10).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(page.entries()).extracting(ChannelLayer.HistoryEntry::id).containsExactly("9", "10", "11");
    assertThat(page.gap()).isTrue();
  }

  /** A message that brings its own history_id takes the two-step path; the layer's id replaces it. */
  @Test
  void recordedGroupSendOfAMessageWithItsOwnHistoryIdGetsTheLayersId() throws Exception {
    RedisChannelLayer a = one();
    String a1 = a.sync().newChannel();
    a.sync().groupAdd("hroom2", a1);
    Message own = Message.of("chat.message", "message", "hi", ChannelLayer.HISTORY_ID, "mine");
    String id = a.groupSendRecorded("hroom2", own, HistoryLimits.lastMessages(3)).toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertThat(id).isEqualTo("1");
    assertThat(a.sync().receive(a1)).isEqualTo(own.with(ChannelLayer.HISTORY_ID, "1"));
  }

  @Test
  void groupSendWritesOneEntryPerProcessKeyListingItsMembers() {
    RedisChannelLayer a = one();
    RedisChannelLayer b = one();
    String a1 = a.sync().newChannel();
    String a2 = a.sync().newChannel();
    String b1 = b.sync().newChannel();
    for (String c : List.of(a1, a2, b1)) {
      a.sync().groupAdd("room", c);
    }
    assertThat(redis(0).ttl(b("asgi:group:room"))).isBetween(86_000L, 86_400L);
    assertThat(redis(0).zrange(b("asgi:group:room"), 0, -1)).hasSize(3);
    a.sync().groupSend("room", Message.of("chat.message", "n", 1));
    List<byte[]> onA = redis(0).zrange(b("asgi" + ChannelNames.nonLocalName(a1)), 0, -1);
    List<byte[]> onB = redis(0).zrange(b("asgi" + ChannelNames.nonLocalName(b1)), 0, -1);
    assertThat(onA).hasSize(1);
    assertThat(onB).hasSize(1);
    assertThat(unpack(onA.get(0))).containsEntry("__asgi_channel__", List.of(a1, a2));
    assertThat(unpack(onB.get(0))).containsEntry("__asgi_channel__", List.of(b1));
    assertThat(a.sync().receive(a1).getLong("n", 0)).isEqualTo(1);
    assertThat(a.sync().receive(a2).getLong("n", 0)).isEqualTo(1);
    assertThat(b.sync().receive(b1).getLong("n", 0)).isEqualTo(1);
  }

  @Test
  void oneScriptAndTwoStepGroupSendsStoreTheSameMembers() {
    // A per-channel capacity pattern keeps a layer on the two-step path; the default layer uses one script.
    RedisChannelLayer oneScript = one();
    RedisChannelLayer twoStep = open(RedisChannelLayer.builder().host(REDIS.uris().get(0)).channelCapacity("nomatch.*", 5));
    String p1 = oneScript.sync().newChannel();
    String p2 = oneScript.sync().newChannel();
    String plain = "plain.channel";
    for (String c : List.of(p1, p2, plain)) {
      oneScript.sync().groupAdd("same", c);
    }
    Message m = Message.of("chat.message", "text", "x".repeat(40), "n", 70_000);
    oneScript.sync().groupSend("same", m);
    twoStep.sync().groupSend("same", m);
    byte[] processKey = b("asgi" + ChannelNames.nonLocalName(p1));
    for (byte[] key : List.of(processKey, b("asgi" + plain))) {
      List<byte[]> stored = redis(0).zrange(key, 0, -1);
      assertThat(stored).hasSize(2);
      byte[] x = java.util.Arrays.copyOfRange(stored.get(0), 12, stored.get(0).length);
      byte[] y = java.util.Arrays.copyOfRange(stored.get(1), 12, stored.get(1).length);
      assertThat(x).as("msgpack after the 12 random bytes").isEqualTo(y);
      assertThat(redis(0).ttl(key)).isBetween(1L, 60L);
    }
    assertThat(unpack(redis(0).zrange(processKey, 0, 0).get(0))).containsEntry("__asgi_channel__", List.of(p1, p2));
    assertThat(unpack(redis(0).zrange(b("asgi" + plain), 0, 0).get(0))).containsEntry("__asgi_channel__", List.of(plain));
    assertThat(oneScript.sync().receive(p2).getLong("n", 0)).isEqualTo(70_000);
  }

  @Test
  void groupSendSkipsAFullProcessKeyAndReachesOtherProcesses() {
    RedisChannelLayer full = open(RedisChannelLayer.builder().host(REDIS.uri()).capacity(2));
    RedisChannelLayer free = open(RedisChannelLayer.builder().host(REDIS.uri()).capacity(2));
    String f1 = full.sync().newChannel();
    String f2 = full.sync().newChannel();
    String ok = free.sync().newChannel();
    full.sync().groupAdd("room", f1);
    full.sync().groupAdd("room", f2);
    full.sync().groupAdd("room", ok);
    full.sync().send(f1, Message.of("m", "i", 0));
    full.sync().send(f1, Message.of("m", "i", 1));
    assertThatThrownBy(() -> full.sync().send(f2, Message.of("m")))
        .as("f2 shares f1's process key, which is full").isInstanceOf(ChannelFullException.class);
    full.sync().groupSend("room", Message.of("broadcast"));
    assertThat(free.sync().receive(ok).type()).isEqualTo("broadcast");
    assertThat(full.sync().receive(f1).getLong("i", -1)).isZero();
    assertThat(full.sync().receive(f1).getLong("i", -1)).isEqualTo(1);
    full.sync().send(f2, Message.of("marker"));
    assertThat(full.sync().receive(f2).type()).as("f2 never got the broadcast").isEqualTo("marker");
  }

  @Test
  void directSendsToProcessChannelsReachEveryReceiverWithTwoShards() {
    RedisChannelLayer sender = open(RedisChannelLayer.builder().host(REDIS.uris().get(0)).host(REDIS.uris().get(1)));
    RedisChannelLayer receiver = open(RedisChannelLayer.builder().host(REDIS.uris().get(0)).host(REDIS.uris().get(1)));
    int shardOfFull = -1;
    boolean mismatchSeen = false;
    for (int i = 0; i < 40; i++) {
      String ch = receiver.sync().newChannel();
      int full = ConsistentHash.shard(ch, 2);
      int nonLocal = ConsistentHash.shard(ChannelNames.nonLocalName(ch), 2);
      mismatchSeen |= full != nonLocal;
      shardOfFull = full;
      sender.sync().send(ch, Message.of("m", "i", i));
      byte[] key = b("asgi" + ChannelNames.nonLocalName(ch));
      assertThat(redis(nonLocal).zcard(key)).as("stored on the shard of the non-local name").isEqualTo(1);
      assertThat(receiver.sync().receive(ch).getLong("i", -1)).isEqualTo(i);
    }
    assertThat(mismatchSeen).as("some channel where channels_redis would pick the wrong shard").isTrue();
    assertThat(shardOfFull).isNotNegative();
  }

  @Test
  void aLostScriptCacheIsReloaded() {
    RedisChannelLayer l = one();
    String ch = l.sync().newChannel();
    l.sync().send(ch, Message.of("before"));
    assertThat(RedisServer.command(REDIS.server(0).port(), "SCRIPT", "FLUSH")).isEqualTo("OK");
    l.sync().send(ch, Message.of("after"));
    l.sync().groupAdd("g", ch);
    l.sync().groupSend("g", Message.of("group"));
    assertThat(l.sync().receive(ch).type()).isEqualTo("before");
    assertThat(l.sync().receive(ch).type()).isEqualTo("after");
    assertThat(l.sync().receive(ch).type()).isEqualTo("group");
  }

  @Test
  void manyReceiversShareOneConnectionPerProcessKey() throws Exception {
    String before = RedisServer.command(REDIS.server(0).port(), "CLIENT", "LIST");
    RedisChannelLayer l = one();
    List<String> channels = new ArrayList<>();
    List<CompletableFuture<Message>> pending = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String ch = l.sync().newChannel();
      channels.add(ch);
      pending.add(l.receive(ch).toCompletableFuture());
    }
    for (int i = 0; i < 200; i++) {
      l.sync().send(channels.get(i), Message.of("m", "i", i));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(pending.get(i).get(5, TimeUnit.SECONDS).getLong("i", -1)).isEqualTo(i);
    }
    String after = RedisServer.command(REDIS.server(0).port(), "CLIENT", "LIST");
    long added = after.lines().count() - before.lines().count();
    assertThat(added).as("connections for 200 receivers (command + one blocking)\n%s", after).isLessThanOrEqualTo(2);
  }

  @Test
  void cannotReceiveAnotherProcesssChannel() {
    RedisChannelLayer a = one();
    RedisChannelLayer b = one();
    String ch = a.sync().newChannel();
    assertThatThrownBy(() -> b.receive(ch).toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(ch);
  }

  @Test
  void reservedKeyIsRejected() {
    RedisChannelLayer l = one();
    Message bad = Message.of("x", "__asgi_channel__", "y");
    assertThatThrownBy(() -> l.send("worker", bad).toCompletableFuture().get()).hasCauseInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderValidatesAtOnceQuotingTheValue() {
    RedisChannelLayer.Builder b = RedisChannelLayer.builder();
    assertThatThrownBy(() -> b.host("")).hasMessageContaining("''");
    assertThatThrownBy(() -> b.host("nonsense://x")).hasMessageContaining("'nonsense://x'");
    assertThatThrownBy(() -> b.capacity(0)).hasMessageContaining("'0'");
    assertThatThrownBy(() -> b.expiry(Duration.ofMillis(1500))).hasMessageContaining("PT1.5S");
    assertThatThrownBy(() -> b.groupExpiry(Duration.ZERO)).hasMessageContaining("PT0S");
    assertThatThrownBy(() -> b.prefix("a{b}")).hasMessageContaining("'a{b}'");
    assertThatThrownBy(() -> b.channelCapacity("x*", 0)).hasMessageContaining("'x*'");
    assertThatThrownBy(() -> b.symmetricEncryptionKeys("")).hasMessageContaining("''");
    assertThatThrownBy(() -> b.sentinel("", "127.0.0.1:26379")).hasMessageContaining("''");
    assertThatThrownBy(() -> RedisChannelLayer.builder().host(REDIS.uri()).cluster(REDIS.uri()).build())
        .hasMessageContaining("not both");
  }

  private static long calls(String info, String command) {
    return info.lines().filter(l -> l.startsWith("cmdstat_" + command + ":")).findFirst()
        .map(l -> Long.parseLong(l.replaceAll(".*calls=(\\d+).*", "$1"))).orElse(0L);
  }

  @Test
  void aBacklogIsDrainedInBatchesInOrder() throws Exception {
    RedisChannelLayer l = open(RedisChannelLayer.builder().host(REDIS.uris().get(0)).capacity(1000));
    String a = l.sync().newChannel();
    String b = l.sync().newChannel();
    for (int i = 0; i < 300; i++) {
      l.sync().send(i % 2 == 0 ? a : b, Message.of("m", "i", i));
    }
    int port = REDIS.server(0).port();
    String before = RedisServer.command(port, "INFO", "commandstats");
    // Receivers that re-register from their callbacks, as consumers do: the loop sees waiters after each
    // pop and drains the rest in batches.
    List<Long> gotA = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Long> gotB = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> doneA = new CompletableFuture<>();
    CompletableFuture<Void> doneB = new CompletableFuture<>();
    receiveInto(l, a, gotA, 150, doneA);
    receiveInto(l, b, gotB, 150, doneB);
    CompletableFuture.allOf(doneA, doneB).get(10, TimeUnit.SECONDS);
    for (int i = 0; i < 150; i++) {
      assertThat(gotA.get(i)).isEqualTo(2L * i);
      assertThat(gotB.get(i)).isEqualTo(2L * i + 1);
    }
    String after = RedisServer.command(port, "INFO", "commandstats");
    long pops = calls(after, "bzpopmin") - calls(before, "bzpopmin") + calls(after, "zpopmin") - calls(before, "zpopmin");
    assertThat(pops).as("pop commands for 300 queued messages").isLessThan(30);
  }

  private static void receiveInto(RedisChannelLayer l, String ch, List<Long> got, int n, CompletableFuture<Void> done) {
    l.receive(ch).thenAccept(m -> {
      got.add(m.getLong("i", -1));
      if (got.size() == n) {
        done.complete(null);
      } else {
        receiveInto(l, ch, got, n, done);
      }
    });
  }
}
