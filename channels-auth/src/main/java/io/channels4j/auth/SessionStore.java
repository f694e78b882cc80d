package io.channels4j.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where session data lives: the Java form of Django's session backends. {@link SessionMiddleware} calls
 * it; applications use {@link Session}.
 *
 * <p>Data is a JSON object (values: String, numbers, Boolean, null, List, Map), so every store gives back
 * what it was given, as JSON would. Three stores come with Channels4J: {@link InMemorySessionStore} (one
 * process), {@code io.channels4j.redis.RedisSessionStore} (every node of a deployment, expiry by Redis
 * TTL) and {@link SignedCookieSessionStore} (the data in the cookie, in Django's {@code signed_cookies}
 * format). Implementations must be safe for concurrent use and must never block the calling thread.
 */
public interface SessionStore {

  /**
   * Loads the data saved under {@code key}; empty if the key is unknown, expired or (for stores whose
   * keys carry a signature) does not verify.
   *
   * @param maxAge the session's lifetime, for stores that check the key's age
   * @param key the session key
   * @return a stage with the data, or empty
   */
  CompletionStage<Optional<Map<String, Object>>> load(String key, Duration maxAge);

  /**
   * Saves {@code data} and completes with the key it can be loaded by: {@code key} itself for server-side
   * stores (a new random key when {@code key} is null), or the new cookie value for cookie stores.
   *
   * @param maxAge how long the data is kept (server-side stores expire it then)
   * @param key the session key, or null for a new one
   * @param data the session data
   * @return a stage with the key the data can be loaded by
   */
  CompletionStage<String> save(String key, Map<String, Object> data, Duration maxAge);

  /**
   * Deletes the data under {@code key}, if any (nothing to do for cookie stores).
   *
   * @param key the key
   * @return a stage that completes when this is done
   */
  CompletionStage<Void> delete(String key);

  /**
   * True if the key carries its own signature (the store checks it in {@link #load}), so {@link
   * SessionMiddleware} puts it in the cookie as it is; false (the default) if the middleware signs the key.
   *
   * @return {@code true} if the key carries its own signature (the store checks it in {@link #load}), so {@link
   *     SessionMiddleware} puts it in the cookie as it is; false (the default) if the middleware signs the key
   */
  default boolean keysAreSigned() {
    return false;
  }

  /**
   * {@return a new random session key: 32 characters of {@code [a-z0-9]} from {@link SecureRandom}, about 165
   * bits, as Django makes them}
   */
  static String randomKey() {
    return SessionKeys.random();
  }
}
