package io.channels4j.redis;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time as Redis sees it: sorted-set scores are epoch seconds (a double) on the layer's clock, strictly
 * increasing per layer so that messages sent in the same clock tick keep their order; purge bounds and
 * expiry checks are derived from them as channels_redis does.
 */
final class Scores {

  private final Clock clock;
  private final long expirySeconds;
  private final AtomicLong lastScoreBits = new AtomicLong();

  Scores(Clock clock, long expirySeconds) {
    this.clock = clock;
    this.expirySeconds = expirySeconds;
  }

  /** The current epoch second on the layer's clock. */
  long nowSeconds() {
    return Math.floorDiv(clock.millis(), 1000);
  }

  private double nowExact() {
    Instant t = clock.instant();
    return t.getEpochSecond() + t.getNano() / 1e9;
  }

  /** The next score: now, or just above the last one if the clock has not moved on. */
  double next() {
    double now = nowExact();
    while (true) {
      long lastBits = lastScoreBits.get();
      double last = Double.longBitsToDouble(lastBits);
      double next = now > last ? now : Math.nextUp(last);
      if (lastScoreBits.compareAndSet(lastBits, Double.doubleToRawLongBits(next))) {
        return next;
      }
    }
  }

  /** Whether a message scored {@code score} is older than the expiry. */
  boolean expired(double score) {
    return score < nowExact() - expirySeconds;
  }

  /** channels_redis's purge bound: {@code ZREMRANGEBYSCORE key 0 floor(score) - ttl}. */
  static long purgeBefore(double score, long ttlSeconds) {
    return (long) Math.floor(score) - ttlSeconds;
  }

  /** A score as a Redis argument (plain decimal, no exponent). */
  static byte[] arg(double score) {
    return KeyLayout.bytes(BigDecimal.valueOf(score).toPlainString());
  }

  /** A whole number as a Redis argument. */
  static byte[] arg(long n) {
    return KeyLayout.bytes(Long.toString(n));
  }
}
