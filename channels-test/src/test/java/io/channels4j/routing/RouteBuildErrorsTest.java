package io.channels4j.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.channels4j.Application;
import io.channels4j.UrlRoute;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** A bad route fails when it is built, naming its pattern; a missing kwarg says which ones exist. */
class RouteBuildErrorsTest {

  private static final Application APP = (scope, receive, send) -> Application.done();

  @Test
  void anUnmatchedAngleBracketFailsWhenTheRouteIsBuilt() {
    assertThatThrownBy(() -> Routes.path("ws/<room/", APP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("URL route 'ws/<room/' has an unmatched '<': parameters are written <name> or <converter:name>");
    assertThatThrownBy(() -> Routes.path("ws/<int:id>/room>/", APP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("URL route 'ws/<int:id>/room>/' has an unmatched '>'")
        .hasMessageContaining("(it has 1 well-formed)");
    assertThatThrownBy(() -> Routes.path("ws/<a<b>/", APP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ws/<a<b>/'");
    // balanced brackets still build
    assertThat(Routes.path("ws/<str:room>/<int:n>/", APP)).isNotNull();
  }

  @Test
  void aBadRegexFailsWhenTheRouteIsBuiltQuotingIt() {
    assertThatThrownBy(() -> Routes.rePath("^ws/(?P<room>[a-z+/$", APP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("URL regex '^ws/(?P<room>[a-z+/$' is not a valid regular expression");
    assertThatThrownBy(() -> Routes.rePath("^ws/(?P<room[a-z]+)/$", APP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'^ws/(?P<room[a-z]+)/$'");
  }

  @Test
  void aMissingKwargSaysWhichOnesExist() {
    UrlRoute route = new UrlRoute(List.of(), Map.of("room_name", "lobby", "page", 2));
    assertThat(route.requireKwarg("room_name")).isEqualTo("lobby");
    assertThat(route.requireKwarg("page")).isEqualTo("2");
    assertThatThrownBy(() -> route.requireKwarg("room"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessage("no URL kwarg 'room' in this route; its kwargs are [page, room_name]");
    assertThatThrownBy(() -> new UrlRoute(List.of("lobby"), Map.of()).requireKwarg("room"))
        .hasMessage("no URL kwarg 'room' in this route; its kwargs are [] and it has 1 positional args"
            + " (a rePath without named groups)");
    assertThat(route.kwarg("room")).isEmpty(); // the Optional form stays
  }
}
