package io.channels4j.redis;

import io.channels4j.Message;
import io.channels4j.layers.ChannelNames;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks shared by the Redis layers and their builders, with the rule and the bad value in every
 * message: URIs, durations, capacities, the arguments of {@code newChannel} and {@code groupAdd}/{@code
 * groupDiscard}, and the key reserved in stored messages.
 */
final class Options {

  /** Where a layer connects when given no host. */
  static final String DEFAULT_HOST = "redis://localhost:6379";

  private static final Pattern CHANNEL_PREFIX = Pattern.compile("[a-zA-Z0-9\\-_.]+");

  private Options() {}

  /** A fresh random 32-hex-digit id (a UUID without dashes). */
  static String randomHex() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  /**
   * A new process-local channel name {@code prefix.<clientPrefix>!<32 hex>}, after checking {@code
   * prefix} is ASCII letters, digits, '-', '_' or '.' and leaves room for the rest.
   */
  static String newChannelName(String prefix, String clientPrefix) {
    if (prefix == null || !CHANNEL_PREFIX.matcher(prefix).matches()
        || prefix.length() + 2 + 64 >= ChannelNames.MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("a channel prefix must be ASCII letters, digits, '-', '_' or '.', at most "
          + (ChannelNames.MAX_NAME_LENGTH - 67) + " characters: '" + prefix + "'");
    }
    return prefix + "." + clientPrefix + "!" + randomHex();
  }

  /** The arguments of {@code groupAdd} and {@code groupDiscard}. */
  static void requireGroupAndChannel(String group, String channel) {
    ChannelNames.requireValidGroupName(group);
    ChannelNames.requireValidChannelName(channel);
  }

  /** A message to store: not null, and without {@code reservedKey} (the layer adds it). */
  static Message requireStorable(Message message, String reservedKey) {
    Objects.requireNonNull(message, "message");
    if (message.has(reservedKey)) {
      throw new IllegalArgumentException("messages must not contain the reserved key '" + reservedKey + "'");
    }
    return message;
  }

  /** {@code d} in whole seconds, at least 1. */
  static long wholeSeconds(Duration d, String what) {
    if (d == null || d.compareTo(Duration.ofSeconds(1)) < 0 || d.getNano() != 0) {
      throw new IllegalArgumentException(what + " must be a whole number of seconds, at least 1: '" + d + "'");
    }
    return d.getSeconds();
  }

  /** {@code n} if it is at least 1; {@code what} names it in the error. */
  static int atLeastOne(int n, String what) {
    if (n < 1) {
      throw new IllegalArgumentException(what + " must be at least 1: '" + n + "'");
    }
    return n;
  }

  /** Parses a Redis URI; {@code what} names its role in the error ("host", "cluster seed", ...). */
  static RedisURI redisUri(String uri, String what) {
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
  static Duration positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: '" + value + "'");
    }
    return value;
  }

  /** Returns {@code value} if it is not blank; {@code what} names it in the error. */
  static String nonBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank: '" + value + "'");
    }
    return value;
  }
}
