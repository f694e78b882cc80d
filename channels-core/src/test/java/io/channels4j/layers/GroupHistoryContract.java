package io.channels4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.channels4j.Message;
import io.channels4j.layers.ChannelLayer.HistoryEntry;
import io.channels4j.layers.ChannelLayer.HistoryLimits;
import io.channels4j.layers.ChannelLayer.HistoryPage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The room-history part of {@link ChannelLayerContract} (its superclass, so every layer runs these
 * cases): recorded group sends get ids 1, 2, 3... per group, {@link ChannelLayer#groupHistory} returns
 * what follows a cursor, and trimming (by count or age) or a flush shows as a gap, never as a silent skip.
 * A layer without history ({@link #supportsHistory()} false) must show the documented alternative: recorded
 * sends are plain group sends without an id, and every history page is empty with a null cursor.
 */
public abstract class GroupHistoryContract {

  /** For {@link ChannelLayerContract}. */
  protected GroupHistoryContract() {}

  /** Opens a layer configured from {@code spec}, closed after the test. */
  protected abstract ChannelLayer open(LayerSpec spec);

  /** Waits for {@code stage} within the contract's timeout. */
  protected abstract <T> T await(CompletionStage<T> stage);

  /** Waits until {@code channel} of {@code layer} can receive what is sent to it. */
  protected abstract void awaitReadyToReceive(ChannelLayer layer, String channel);

  /**
   * True (the default) if the layer keeps group history. A layer answering false must say so in {@link
   * ChannelLayer#supportsHistory()} and show the alternative described in this class's comment.
   */
  protected boolean supportsHistory() {
    return true;
  }

  private static Message chat(String text) {
    return Message.of("chat.message", "message", text);
  }

  private String record(ChannelLayer layer, String group, String text, HistoryLimits limits) {
    return await(layer.groupSendRecorded(group, chat(text), limits));
  }

  private static List<String> texts(HistoryPage page) {
    return page.entries().stream().map(e -> e.message().getString("message")).toList();
  }

  @Test
  void layerSaysWhetherItKeepsHistory() {
    assertThat(open(LayerSpec.defaults()).supportsHistory()).isEqualTo(supportsHistory());
  }

  @Test
  void recordedSendsReachMembersWithIncreasingIds() {
    ChannelLayer layer = open(LayerSpec.defaults());
    String ch = await(layer.newChannel());
    await(layer.groupAdd("history.room", ch));
    awaitReadyToReceive(layer, ch);
    HistoryLimits limits = HistoryLimits.lastMessages(10);
    List<String> ids = Arrays.asList(record(layer, "history.room", "a", limits), record(layer, "history.room", "b", limits));
    Message first = await(layer.receive(ch));
    Message second = await(layer.receive(ch));
    assertThat(List.of(first.getString("message"), second.getString("message"))).containsExactly("a", "b");
    if (supportsHistory()) {
      assertThat(ids).containsExactly("1", "2");
      assertThat(first.getString(ChannelLayer.HISTORY_ID)).isEqualTo("1");
      assertThat(second.getString(ChannelLayer.HISTORY_ID)).isEqualTo("2");
    } else {
      assertThat(ids).containsExactly(null, null);
      assertThat(first.has(ChannelLayer.HISTORY_ID)).isFalse();
    }
  }

  @Test
  void historyAfterACursorIsWhatFollowsIt() {
    ChannelLayer layer = open(LayerSpec.defaults());
    HistoryLimits limits = HistoryLimits.lastMessages(10);
    HistoryPage empty = await(layer.groupHistory("history.room", null, 100));
    assertThat(empty.entries()).isEmpty();
    assertThat(empty.cursor()).isEqualTo(supportsHistory() ? "0" : null);
    for (String t : List.of("a", "b", "c")) {
      record(layer, "history.room", t, limits);
    }
    HistoryPage now = await(layer.groupHistory("history.room", null, 100));
    HistoryPage after1 = await(layer.groupHistory("history.room", "1", 100));
    HistoryPage after3 = await(layer.groupHistory("history.room", "3", 100));
    if (!supportsHistory()) {
      assertThat(List.of(now, after1, after3)).allSatisfy(p -> assertThat(p.entries()).isEmpty())
          .allSatisfy(p -> assertThat(p.cursor()).isNull());
      assertThat(now.gap()).isFalse();
      assertThat(after1.gap()).isTrue();
      return;
    }
    assertThat(now.entries()).isEmpty();
    assertThat(now.cursor()).isEqualTo("3");
    assertThat(texts(after1)).containsExactly("b", "c");
    assertThat(after1.entries()).extracting(HistoryEntry::id).containsExactly("2", "3");
    assertThat(after1.entries().get(0).message().getString(ChannelLayer.HISTORY_ID)).isEqualTo("2");
    assertThat(after1.cursor()).isEqualTo("3");
    assertThat(after1.gap()).isFalse();
    assertThat(after3.entries()).isEmpty();
    assertThat(after3.cursor()).isEqualTo("3");
    assertThat(after3.gap()).isFalse();
  }

  @Test
  void aPageHoldsAtMostMaxEntriesAndItsCursorContinues() {
    ChannelLayer layer = open(LayerSpec.defaults());
    for (String t : List.of("a", "b", "c", "d", "e")) {
      record(layer, "history.room", t, HistoryLimits.lastMessages(10));
    }
    HistoryPage first = await(layer.groupHistory("history.room", "0", 2));
    if (!supportsHistory()) {
      assertThat(first.entries()).isEmpty();
      assertThat(first.gap()).isTrue();
      return;
    }
    assertThat(texts(first)).containsExactly("a", "b");
    HistoryPage next = await(layer.groupHistory("history.room", first.cursor(), 10));
    assertThat(texts(next)).containsExactly("c", "d", "e");
    assertThat(next.gap()).isFalse();
  }

  @Test
  void trimmingByCountShowsAsAGap() {
    ChannelLayer layer = open(LayerSpec.defaults());
    for (String t : List.of("a", "b", "c", "d", "e")) {
      record(layer, "history.room", t, HistoryLimits.lastMessages(2));
    }
    HistoryPage tooOld = await(layer.groupHistory("history.room", "1", 100));
    HistoryPage inWindow = await(layer.groupHistory("history.room", "3", 100));
    if (!supportsHistory()) {
      assertThat(tooOld.entries()).isEmpty();
      assertThat(tooOld.gap()).isTrue();
      return;
    }
    assertThat(texts(tooOld)).containsExactly("d", "e");
    assertThat(tooOld.gap()).isTrue();
    assertThat(texts(inWindow)).containsExactly("d", "e");
    assertThat(inWindow.gap()).isFalse();
  }

  @Test
  void trimmingByAgeShowsAsAGap() {
    LayerSpec spec = LayerSpec.defaults();
    ChannelLayer layer = open(spec);
    HistoryLimits limits = new HistoryLimits(100, Duration.ofSeconds(30));
    record(layer, "history.room", "old", limits);
    spec.clock().advance(Duration.ofSeconds(31));
    record(layer, "history.room", "new", limits);
    HistoryPage page = await(layer.groupHistory("history.room", "0", 100));
    if (!supportsHistory()) {
      assertThat(page.entries()).isEmpty();
      assertThat(page.gap()).isTrue();
      return;
    }
    assertThat(texts(page)).containsExactly("new");
    assertThat(page.gap()).isTrue();
    assertThat(await(layer.groupHistory("history.room", "1", 100)).gap()).isFalse();
  }

  @Test
  void groupsHaveTheirOwnIdsAndABadCursorIsAGap() {
    ChannelLayer layer = open(LayerSpec.defaults());
    HistoryLimits limits = HistoryLimits.lastMessages(10);
    record(layer, "history.one", "a", limits);
    record(layer, "history.one", "b", limits);
    String other = record(layer, "history.two", "x", limits);
    HistoryPage bad = await(layer.groupHistory("history.one", "not-a-cursor", 100));
    HistoryPage future = await(layer.groupHistory("history.one", "99", 100));
    if (!supportsHistory()) {
      assertThat(other).isNull();
      assertThat(bad.gap()).isTrue();
      return;
    }
    assertThat(other).isEqualTo("1");
    assertThat(texts(bad)).containsExactly("a", "b");
    assertThat(bad.gap()).isTrue();
    assertThat(future.gap()).isTrue();
    assertThat(texts(future)).containsExactly("a", "b");
  }

  @Test
  void flushForgetsHistoryAndOldCursorsShowAGap() {
    ChannelLayer layer = open(LayerSpec.defaults());
    record(layer, "history.room", "a", HistoryLimits.lastMessages(10));
    record(layer, "history.room", "b", HistoryLimits.lastMessages(10));
    await(layer.flush());
    HistoryPage page = await(layer.groupHistory("history.room", "2", 100));
    assertThat(page.entries()).isEmpty();
    assertThat(page.gap()).isTrue();
    if (supportsHistory()) {
      assertThat(page.cursor()).isEqualTo("0");
      assertThat(record(layer, "history.room", "c", HistoryLimits.lastMessages(10))).isEqualTo("1");
    }
  }
}
