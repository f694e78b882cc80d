package io.channels4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Message;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * channels_redis 4.2+'s serializer options on a real Redis: {@code serializer_format} (JSON, or a
 * custom serializer), {@code random_prefix_length}, and {@code symmetric_encryption_keys} on the
 * pub/sub layer. The formats themselves are checked byte for byte against channels_redis's code by
 * {@link SerializerVectorsTest}.
 */
class RedisSerializerOptionsTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.standalone(1);

  @AfterEach
  void flush() {
    RedisServer.command(REDIS.server(0).port(), "FLUSHALL");
  }

  private static RedisChannelLayer.Builder core() {
    return RedisChannelLayer.builder().host(REDIS.server(0).uri());
  }

  private static RedisPubSubChannelLayer.Builder pubsub() {
    return RedisPubSubChannelLayer.builder().host(REDIS.server(0).uri());
  }

  private static String stored(String key) {
    return RedisServer.command(REDIS.server(0).port(), "ZRANGE", key, "0", "-1");
  }

  @Test
  void jsonLayersSendDirectGroupAndNamedMessagesStoredAsJson() {
    try (RedisChannelLayer a = core().serializerFormat("json").build();
         RedisChannelLayer b = core().serializerFormat("JSON").build()) {
      Message m = Message.of("chat.message", "text", "caf\u00e9", "n", 3L, "x", 1.5, "list", java.util.List.of(1L, "two"));
      a.sync().send("worker", m);
      assertThat(stored("asgiworker")).contains("{\"type\": \"chat.message\", \"text\": \"caf\\u00e9\", \"n\": 3, \"x\": 1.5, "
          + "\"list\": [1, \"two\"]}");
      assertThat(b.sync().receive("worker")).isEqualTo(m);

      String ch1 = b.sync().newChannel();
      String ch2 = b.sync().newChannel();
      b.sync().groupAdd("room", ch1);
      b.sync().groupAdd("room", ch2);
      a.sync().groupSend("room", Message.of("group.hi"));
      assertThat(b.sync().receive(ch1).type()).isEqualTo("group.hi");
      assertThat(b.sync().receive(ch2).type()).isEqualTo("group.hi");
      a.sync().send(ch1, Message.of("direct"));
      assertThat(b.sync().receive(ch1).type()).isEqualTo("direct");

      assertThatThrownBy(() -> a.sync().send("worker", Message.of("websocket.send", "bytes", new byte[] {1, 2})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Object of type bytes is not JSON serializable");
    }
  }

  @Test
  void randomPrefixLengthIsTheNumberOfBytesBeforeThePayload() {
    try (RedisChannelLayer none = core().randomPrefixLength(0).serializerFormat("json").build();
         RedisChannelLayer four = core().randomPrefixLength(4).build()) {
      // no prefix: equal messages are one sorted-set member (channels_redis behaves the same)
      none.sync().send("same", Message.of("t"));
      none.sync().send("same", Message.of("t"));
      assertThat(stored("asgisame")).isEqualTo("{\"type\": \"t\"}");
      assertThat(none.sync().receive("same").type()).isEqualTo("t");

      four.sync().send("four", Message.of("t"));
      four.sync().send("four", Message.of("t"));
      // each member: its length, then the hex of what follows the first 4 bytes
      String script = "local out = {} for i, v in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do "
          + "out[i] = #v .. ':' .. (string.gsub(string.sub(v, 5), '.', function(c) return string.format('%02x', "
          + "string.byte(c)) end)) end return out";
      String members = RedisServer.command(REDIS.server(0).port(), "EVAL", script, "1", "asgifour");
      // msgpack {"type": "t"} (8 bytes) after 4 random bytes, twice
      assertThat(members).isEqualTo("12:81a474797065a174\n12:81a474797065a174");
      assertThat(four.sync().receive("four").type()).isEqualTo("t");
      assertThat(four.sync().receive("four").type()).isEqualTo("t");
    }
    assertThatThrownBy(() -> core().randomPrefixLength(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("random_prefix_length must be between 0 and 1024").hasMessageEndingWith(": '-1'");
    assertThatThrownBy(() -> core().serializerFormat("pickle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("serializer_format must be 'msgpack' or 'json' (or pass a MessageSerializer): 'pickle'");
  }

  @Test
  void encryptedJsonIsAFernetTokenAfterThePrefix() {
    try (RedisChannelLayer a = core().serializerFormat("json").symmetricEncryptionKeys("k1").build();
         RedisChannelLayer b = core().serializerFormat("json").symmetricEncryptionKeys("k2", "k1").build()) {
      a.sync().send("secret", Message.of("t", "text", "hidden"));
      String member = stored("asgisecret");
      assertThat(member).contains("gAAAAA").doesNotContain("hidden");
      assertThat(b.sync().receive("secret").getString("text")).isEqualTo("hidden");
    }
  }

  /** A custom serializer: JSON behind a marker byte. */
  private static final MessageSerializer MARKED = new MessageSerializer() {
    @Override
    public byte[] toBytes(Map<String, Object> message) {
      byte[] json = MessageSerializer.json().toBytes(message);
      byte[] out = new byte[json.length + 1];
      out[0] = '#';
      System.arraycopy(json, 0, out, 1, json.length);
      return out;
    }

    @Override
    public Map<String, Object> fromBytes(byte[] data, int offset, int length) {
      if (length < 1 || data[offset] != '#') {
        throw new IllegalArgumentException("no marker: " + Arrays.toString(Arrays.copyOfRange(data, offset, offset + length)));
      }
      return MessageSerializer.json().fromBytes(data, offset + 1, length - 1);
    }
  };

  @Test
  void aCustomSerializerWritesAndReadsEveryMessage() {
    try (RedisChannelLayer a = core().serializer(MARKED).randomPrefixLength(0).build();
         RedisChannelLayer b = core().serializer(MARKED).build()) {
      a.sync().send("custom", Message.of("t", "v", 1L));
      assertThat(stored("asgicustom")).isEqualTo("#{\"type\": \"t\", \"v\": 1}");
      String ch = b.sync().newChannel();
      b.sync().groupAdd("g", ch);
      b.sync().groupSend("g", Message.of("to.group")); // one server: not the msgpack-splicing script
      assertThat(b.sync().receive(ch).type()).isEqualTo("to.group");
    }
  }

  @Test
  void encryptedPubSubAsChannelsRedis42() throws Exception {
    try (RedisPubSubChannelLayer k1 = pubsub().symmetricEncryptionKeys("k1").build();
         RedisPubSubChannelLayer k2 = pubsub().symmetricEncryptionKeys("k2").build();
         RedisPubSubChannelLayer rotated = pubsub().symmetricEncryptionKeys("k2", "k1").serializerFormat("msgpack").build()) {
      String a = k1.sync().newChannel();
      String b = k2.sync().newChannel();
      String c = rotated.sync().newChannel();
      k1.sync().groupAdd("room", a);
      k2.sync().groupAdd("room", b);
      rotated.sync().groupAdd("room", c);
      k1.sync().groupSend("room", Message.of("from.k1", "bytes", new byte[] {0, (byte) 0xff}));
      k2.sync().groupSend("room", Message.of("from.k2"));
      // each layer gets what its keys can read, in order: the k2 layer dropped k1's message
      assertThat(k1.sync().receive(a).getBytes("bytes")).containsExactly(0, 0xff);
      assertThat(k2.sync().receive(b).type()).isEqualTo("from.k2");
      assertThat(rotated.sync().receive(c).type()).isEqualTo("from.k1");
      assertThat(rotated.sync().receive(c).type()).isEqualTo("from.k2");
      // and k1 dropped k2's: its next message is the next one it can read
      k1.sync().groupSend("room", Message.of("again.k1"));
      assertThat(k1.sync().receive(a).type()).isEqualTo("again.k1");
    }
  }

  @Test
  void jsonPubSubPublishesPlainJson() {
    try (RedisPubSubChannelLayer json = pubsub().serializerFormat("json").build()) {
      String ch = json.sync().newChannel();
      json.sync().send(ch, Message.of("t", "n", 2L));
      assertThat(json.sync().receive(ch)).isEqualTo(Message.of("t", "n", 2L));
    }
  }
}
