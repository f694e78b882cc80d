package io.channels4j.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The session store contract on {@link InMemorySessionStore}, plus its clock-driven expiry and sweep. */
class InMemorySessionStoreTest extends SessionStoreContract {

  private final InMemorySessionStore store = new InMemorySessionStore();

  @Override
  protected SessionStore store() {
    return store;
  }

  @Test
  void expiredSessionsAreSweptOnSave() {
    Instant[] now = {Instant.parse("2026-11-30T00:00:00Z")};
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    InMemorySessionStore s = new InMemorySessionStore(clock);
    String key = join(s.save(null, Map.of("a", 1), Duration.ofMinutes(1)));
    now[0] = now[0].plusSeconds(59);
    assertThat(join(s.load(key, Duration.ofMinutes(1)))).contains(Map.of("a", 1));
    now[0] = now[0].plusSeconds(2);
    for (int i = 0; i < 1_000; i++) {
      join(s.save(null, Map.of(), Duration.ofMinutes(1)));
    }
    assertThat(s.size()).isEqualTo(1_000);
    assertThat(join(s.load(key, Duration.ofMinutes(1)))).isEmpty();
  }

  @Test
  void withSaveEveryRequestEmptySessionsGetAStableCookieButNothingIsStored() {
    io.channels4j.Application app = AuthTestApp.create(sessions().saveEveryRequest(true));
    String first = null;
    for (int i = 0; i < 50; i++) {
      first = sessionCookie(get(app, "/plain/", null));
      assertThat(first).isNotNull();
    }
    assertThat(store.size()).isZero();
    String again = sessionCookie(get(app, "/plain/", first));
    assertThat(again.substring(0, 42)).isEqualTo(first.substring(0, 42)); // same key, a fresh timestamp
    assertThat(store.size()).isZero();
    String stored = sessionCookie(get(app, "/set/?now", first));
    assertThat(store.size()).isEqualTo(1);
    assertThat(get(app, "/get/", stored).bodyText()).isEqualTo("note=now;user=anonymous");
  }
}
