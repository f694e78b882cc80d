package io.channels4j.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions in this process's memory, each kept until its max age passes: for one node and for tests (every
 * node of a deployment needs the Redis store or the signed-cookie store). Data is kept as JSON text, so it
 * comes back exactly as from the other stores. Expired sessions are removed when read and, every 1,000
 * saves, by a sweep.
 *
 * <pre>{@code
 * SessionStore store = new InMemorySessionStore();
 * }</pre>
 */
public final class InMemorySessionStore implements SessionStore {

  private static final int SWEEP_EVERY = 1_000;

  private record Entry(String json, long expiresAtMillis) {}

  private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private int savesSinceSweep;

  /** An empty store on the system clock. */
  public InMemorySessionStore() {
    this(Clock.systemUTC());
  }

  /** An empty store on {@code clock} (tests move it to expire sessions). */
  InMemorySessionStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public CompletionStage<Optional<Map<String, Object>>> load(String key, Duration maxAge) {
    Entry e = key == null ? null : sessions.get(key);
    if (e == null) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (e.expiresAtMillis <= clock.millis()) {
      sessions.remove(key, e);
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return CompletableFuture.completedFuture(Optional.of(SessionJson.read(e.json)));
  }

  @Override
  public CompletionStage<String> save(String key, Map<String, Object> data, Duration maxAge) {
    String k = key == null ? SessionStore.randomKey() : key;
    long now = clock.millis();
    sessions.put(k, new Entry(SessionJson.write(data), now + maxAge.toMillis()));
    if (sweepDue()) {
      sessions.values().removeIf(e -> e.expiresAtMillis <= now);
    }
    return CompletableFuture.completedFuture(k);
  }

  @Override
  public CompletionStage<Void> delete(String key) {
    if (key != null) {
      sessions.remove(key);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** {@return how many sessions are held, expired ones not yet swept included} */
  public int size() {
    return sessions.size();
  }

  private synchronized boolean sweepDue() {
    if (++savesSinceSweep < SWEEP_EVERY) {
      return false;
    }
    savesSinceSweep = 0;
    return true;
  }

  @Override
  public String toString() {
    return "InMemorySessionStore[" + sessions.size() + " sessions]";
  }
}
