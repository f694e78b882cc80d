package io.channels4j.example.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.layers.ChannelNames;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoomNamesTest {

  @Test
  void plainAsciiRoomsKeepTheTutorialsGroupName() {
    assertThat(RoomNames.groupName("lobby")).isEqualTo("chat_lobby");
    assertThat(RoomNames.groupName("Room_42")).isEqualTo("chat_Room_42");
    String longest = "a".repeat(RoomNames.MAX_PLAIN_LENGTH);
    assertThat(RoomNames.groupName(longest)).isEqualTo("chat_" + longest).hasSize(99);
  }

  @Test
  void everyOtherNameMapsToAValidHashedGroupName() {
    for (String room : List.of("聊天室", "two words", "a.b", "a-b", "a/b", "x".repeat(RoomNames.MAX_PLAIN_LENGTH + 1),
        "<script>", "émoji 🎉", " ", "chat_u.abc", "ß")) {
      String group = RoomNames.groupName(room);
      assertThat(group).as(room).startsWith(RoomNames.HASHED_PREFIX).hasSize(RoomNames.HASHED_PREFIX.length() + 64);
      assertThat(ChannelNames.requireValidGroupName(group)).isEqualTo(group);
    }
  }

  @Test
  void mappingIsDeterministicAndDistinguishesNames() {
    assertThat(RoomNames.groupName("聊天室")).isEqualTo(RoomNames.groupName(new String("聊天室")));
    assertThat(RoomNames.groupName("聊天室")).isNotEqualTo(RoomNames.groupName("聊天"));
    assertThat(RoomNames.groupName("a b")).isNotEqualTo(RoomNames.groupName("a  b"));
    // Fixed value: another process (or a future version) must map the room to the same group.
    assertThat(RoomNames.groupName("聊天室"))
        .isEqualTo("chat_u.dc28933c0f5f43ddfc32a9084faf7700aefa751a3e20ed5549379614e74a119d");
  }

  @Test
  void precomposedAndCombiningAccentsAreOneRoom() {
    assertThat(RoomNames.groupName("caf\u00e9")).isEqualTo(RoomNames.groupName("cafe\u0301"));
  }

  @Test
  void hashedNamesNeverCollideWithPlainOnes() {
    // A plain room's group is chat_ + [A-Za-z0-9_]; a hashed one has a '.', which no plain group has.
    assertThat(RoomNames.groupName("u_abc")).isEqualTo("chat_u_abc");
    assertThat(RoomNames.groupName("u.abc")).startsWith("chat_u.").isNotEqualTo("chat_u.abc");
  }

  @Test
  void emptyNameIsRejected() {
    assertThatThrownBy(() -> RoomNames.groupName("")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be empty");
  }
}
