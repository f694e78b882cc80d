package io.channels4j.redis.internal;

import io.lettuce.core.RedisURI;
import java.time.Duration;

/** Builder checks shared by the Redis layers: the rule and the bad value in every message. */
public final class Options {

  /** Where a layer connects when given no host. */
  public static final String DEFAULT_HOST = "redis://localhost:6379";

  private Options() {}

  /** Parses a Redis URI; {@code what} names its role in the error ("host", "cluster seed", ...). */
  public static RedisURI redisUri(String uri, String what) {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("a Redis " + what + " URI must not be blank: '" + uri + "'");
    }
    try {
      return RedisURI.create(uri);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a valid Redis " + what + " URI (" + e.getMessage() + "): '" + uri + "'", e);
    }
  }

  /** Returns {@code value} if it is a positive duration. */
  public static Duration positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: '" + value + "'");
    }
    return value;
  }
}
