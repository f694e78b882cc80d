package io.channels4j.auth;

import io.channels4j.Application;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * One connection's session: the Java form of Django's {@code request.session} / Channels' {@code
 * scope["session"]}. Read it with {@link SessionMiddleware#session(io.channels4j.Scope)}.
 *
 * <p>Values are JSON values (String, numbers, Boolean, null, List, Map); anything else is refused when put.
 * Over HTTP the middleware saves the session before the response starts, and only if it changed. On a
 * WebSocket it saves at accept (the cookie goes on the handshake response) and when the application ends;
 * call {@link #save()} to save at any other moment, as Channels' {@code scope["session"].save()}.
 *
 * <p>Thread-safe: a connection's handlers may touch it from any thread.
 */
public final class Session {

  private final SessionStore store;
  private final Duration maxAge;
  private final Map<String, Object> data;
  private final boolean cameWithCookie;
  private String key;
  private String unsavedKey;
  private String staleKey;
  private boolean modified;
  private User loggedIn;

  Session(SessionStore store, Duration maxAge, String key, Map<String, Object> data, boolean cameWithCookie) {
    this.store = Objects.requireNonNull(store, "store");
    this.maxAge = maxAge;
    this.key = key;
    this.data = new LinkedHashMap<>(data);
    this.cameWithCookie = cameWithCookie;
  }

  /**
   * The value under {@code key}, if any.
   *
   * @param key the key
   * @return the value under {@code key}, if any
   */
  public synchronized Optional<Object> get(String key) {
    return Optional.ofNullable(data.get(key));
  }

  /**
   * The value under {@code key} if it is a String.
   *
   * @param key the key
   * @return the value under {@code key} if it is a String
   */
  public synchronized Optional<String> getString(String key) {
    return data.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
  }

  /**
   * Puts {@code value} under {@code key}.
   *
   * @param key the key
   * @param value the value
   * @throws IllegalArgumentException if JSON cannot carry the value
   */
  public synchronized void put(String key, Object value) {
    Objects.requireNonNull(key, "key");
    data.put(key, SessionJson.check(key, value));
    modified = true;
  }

  /**
   * Removes {@code key}; returns true if it was there.
   *
   * @param key the key
   * @return {@code true} if it was there
   */
  public synchronized boolean remove(String key) {
    boolean had = data.containsKey(key);
    data.remove(key);
    modified |= had;
    return had;
  }

  /** {@return the keys, a copy} */
  public synchronized Set<String> keys() {
    return Set.copyOf(data.keySet());
  }

  /**
   * True if the session holds nothing.
   *
   * @return {@code true} if the session holds nothing
   */
  public synchronized boolean isEmpty() {
    return data.isEmpty();
  }

  /** {@return the data, a copy} */
  public synchronized Map<String, Object> asMap() {
    return new LinkedHashMap<>(data);
  }

  /**
   * Keeps the data under a new key and deletes the old one when saved: call it on login, so a key an
   * attacker planted before login is worthless after it (session fixation).
   */
  public synchronized void cycleKey() {
    if (key != null && staleKey == null) {
      staleKey = key;
    }
    key = null;
    modified = true;
  }

  /** Deletes every value and cycles the key, as Django's {@code session.flush()} (used by logout). */
  public synchronized void flush() {
    data.clear();
    cycleKey();
    loggedIn = null;
  }

  /** {@return the session key, once the session was loaded or saved} For cookie stores, the cookie value. */
  public synchronized Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /**
   * True if the session changed since it was loaded or last saved.
   *
   * @return {@code true} if the session changed since it was loaded or last saved
   */
  public synchronized boolean isModified() {
    return modified;
  }

  /**
   * Saves the data now (the middleware saves on its own before an HTTP response and at a WebSocket accept);
   * completes when the store has it. A cycled key's old data is deleted.
   *
   * @return a stage that completes when this is done
   */
  public CompletionStage<Void> save() {
    String oldKey;
    String currentKey;
    Map<String, Object> snapshot;
    synchronized (this) {
      oldKey = staleKey;
      currentKey = key;
      snapshot = new LinkedHashMap<>(data);
      modified = false;
      staleKey = null;
    }
    CompletionStage<Void> deleted = oldKey == null ? Application.done() : store.delete(oldKey);
    return deleted
        .thenCompose(v -> store.save(currentKey, snapshot, maxAge))
        .whenComplete((newKey, error) -> {
          synchronized (this) {
            if (error != null) {
              modified = true; // not saved: a later save tries again
            } else if (Objects.equals(key, currentKey)) {
              key = newKey;
            }
          }
        })
        .thenApply(newKey -> null);
  }

  /**
   * The key an empty session's cookie carries without anything being stored: the key its cookie already
   * had (signed by us, its data gone or never saved), else a new random one. Saving data later still gets
   * a fresh key from the store.
   */
  synchronized String keyWithoutStoring() {
    if (unsavedKey == null) {
      unsavedKey = SessionStore.randomKey();
    }
    return unsavedKey;
  }

  synchronized void unsavedKey(String key) {
    unsavedKey = key;
  }

  /**
   * Drops the session from the store (current and cycled-away keys) instead of saving it: what an emptied
   * session needs, as Django deletes the cookie of an empty session.
   */
  CompletionStage<Void> discard() {
    String oldKey;
    String currentKey;
    synchronized (this) {
      oldKey = staleKey;
      currentKey = key;
      staleKey = null;
      key = null;
      modified = false;
    }
    CompletionStage<Void> first = oldKey == null ? Application.done() : store.delete(oldKey);
    return first.thenCompose(v -> currentKey == null ? Application.done() : store.delete(currentKey));
  }

  /** True if the request carried a session cookie (so an emptied session must delete it). */
  boolean cameWithCookie() {
    return cameWithCookie;
  }

  synchronized User loggedIn() {
    return loggedIn;
  }

  synchronized void loggedIn(User user) {
    loggedIn = user;
  }

  @Override
  public synchronized String toString() {
    // Never the key: it is a credential.
    return "Session" + data.keySet() + (modified ? " (modified)" : "");
  }
}
