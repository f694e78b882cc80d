package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.channels4j.Message;
import io.channels4j.layers.ChannelNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis restarts empty, nodes die: open channels hear their groups again, a dead node's full key is
 * not logged on every send, and the members of gone Java processes are purged (Python ones never).
 */
class RedisReliabilityTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(1);

  private static <T> T get(java.util.concurrent.CompletionStage<T> f) throws Exception {
    return f.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void openChannelsHearTheirGroupsAgainAfterRedisRestartsEmpty() throws Exception {
    RedisServer server = REDIS.server(0);
    Set<Thread> threadsBefore = LeakCheck.lettuceThreads();
    long clientsBefore = LeakCheck.clients(server);
    Map<String, CompletableFuture<Message>> pending = new LinkedHashMap<>();
    try (LogCapture log = LogCapture.start();
        RedisChannelLayer layer = RedisChannelLayer.builder().host(server.uri()).commandTimeout(Duration.ofSeconds(2)).build()) {
      for (int i = 0; i < 20; i++) {
        String ch = get(layer.newChannel("specific"));
        get(layer.groupAdd(i % 2 == 0 ? "room.a" : "room.b", ch));
        pending.put(ch, layer.receive(ch).toCompletableFuture());
      }
      String left = get(layer.newChannel("specific"));
      get(layer.groupAdd("room.a", left));
      get(layer.groupDiscard("room.a", left)); // left before the outage: must not come back

      server.kill();
      server.restart();
      assertThat(RedisServer.command(server.port(), "DBSIZE")).as("Redis came back empty").isEqualTo("0");

      // Within 5 s of Redis's return, a group message reaches every open channel.
      await("every open channel hears its group").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> {
            layer.groupSend("room.a", Message.of("after"));
            layer.groupSend("room.b", Message.of("after"));
            return pending.values().stream().allMatch(CompletableFuture::isDone);
          });
      for (CompletableFuture<Message> f : pending.values()) {
        assertThat(f.get().type()).isEqualTo("after");
      }
      assertThat(RedisServer.command(server.port(), "ZCARD", "asgi:group:room.a")).isEqualTo("10");
      assertThat(RedisServer.command(server.port(), "ZCARD", "asgi:group:room.b")).isEqualTo("10");
      assertThat(log.lines("re-added 20 group memberships")).as("one INFO line for the restore").hasSize(1);
    }
    LeakCheck.noNewLettuceThreads(threadsBefore);
    assertThat(LeakCheck.clients(server)).as("connections after close").isEqualTo(Math.min(clientsBefore, 1));
  }

  @Test
  void aDeadNodesFullKeyIsLoggedOnceAMinuteNotOnEverySend() throws Exception {
    String server = REDIS.server(0).uri();
    String deadChannel;
    try (RedisChannelLayer dead = RedisChannelLayer.builder().host(server).livenessTimeout(Duration.ofHours(1)).build()) {
      deadChannel = get(dead.newChannel("specific"));
      get(dead.groupAdd("room.dead", deadChannel));
    } // the node is gone; its member stays (liveness timeout not reached)
    try (LogCapture log = LogCapture.start();
        RedisChannelLayer sender = RedisChannelLayer.builder().host(server).capacity(3).build()) {
      for (int i = 0; i < 20; i++) {
        get(sender.groupSend("room.dead", Message.of("chat", "i", i)));
      }
      assertThat(RedisServer.command(REDIS.server(0).port(), "ZCARD", "asgi" + ChannelNames.nonLocalName(deadChannel)))
          .isEqualTo("3");
      assertThat(log.lines("over capacity in group room.dead")).as("17 sends over capacity, one INFO line").hasSize(1);
    }
  }

  @Test
  void membersOfAGoneJavaProcessArePurgedWhilePythonMembersStay() throws Exception {
    PythonPeer.requirePython();
    RedisServer server = REDIS.server(0);
    String deadChannel;
    try (RedisChannelLayer dead = RedisChannelLayer.builder().host(server.uri()).livenessTimeout(Duration.ofSeconds(1)).build()) {
      deadChannel = get(dead.newChannel("specific"));
      get(dead.groupAdd("room.live", deadChannel));
      get(dead.send(deadChannel, Message.of("ping")));
      assertThat(get(dead.receive(deadChannel)).type()).isEqualTo("ping");
    } // stops refreshing its marks, as a killed node would
    String deadNonLocal = ChannelNames.nonLocalName(deadChannel);
    try (RedisChannelLayer live = RedisChannelLayer.builder().host(server.uri()).build();
        PythonPeer py = PythonPeer.start("peer.py", "receive", server.uri(), "-", "room.live")) {
      String pyChannel = py.expectLine("READY", 20).substring("READY ".length()).trim();
      String liveChannel = get(live.newChannel("specific"));
      get(live.groupAdd("room.live", liveChannel));
      CompletableFuture<Message> liveReceive = live.receive(liveChannel).toCompletableFuture();
      await("the dead process's alive mark expires").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> RedisServer.command(server.port(), "EXISTS", "asgi:alive:" + deadNonLocal).equals("0"));
      assertThat(RedisServer.command(server.port(), "EXISTS", "asgi:watched:" + deadNonLocal)).isEqualTo("1");

      get(live.groupSend("room.live", RedisInteropTest.expected()));

      List<String> members = new ArrayList<>(RedisServer.command(server.port(), "ZRANGE", "asgi:group:room.live", "0", "-1").lines().toList());
      assertThat(members).as("gone Java member purged; Python and live Java members stay")
          .containsExactlyInAnyOrder(pyChannel, liveChannel);
      assertThat(RedisServer.command(server.port(), "EXISTS", "asgi" + deadNonLocal)).as("no writes into the dead key").isEqualTo("0");
      assertThat(py.expectLine("MATCH", 20)).isEqualTo("MATCH");
      assertThat(liveReceive.get(10, TimeUnit.SECONDS)).isEqualTo(RedisInteropTest.expected());
    }
  }
}
