package io.channels4j.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How a layer's builder configured channels_redis's serializer options, checked as they are set:
 * {@code serializer_format} (or a custom {@link MessageSerializer}), {@code symmetric_encryption_keys}
 * and {@code random_prefix_length}.
 */
final class SerializerOptions {

  /** The largest random prefix accepted (channels_redis takes any; more than this is surely a mistake). */
  static final int MAX_RANDOM_PREFIX_LENGTH = 1024;

  private MessageSerializer serializer = MessageSerializer.msgpack();
  private final List<String> keys = new ArrayList<>();
  private int randomPrefixLength;

  /** @param randomPrefixLength channels_redis's default: 12 in the core layer, 0 in pub/sub */
  SerializerOptions(int randomPrefixLength) {
    this.randomPrefixLength = randomPrefixLength;
  }

  private SerializerOptions(SerializerOptions from) {
    this.serializer = from.serializer;
    this.keys.addAll(from.keys);
    this.randomPrefixLength = from.randomPrefixLength;
  }

  void serializerFormat(String format) {
    serializer = MessageSerializer.forFormat(format);
  }

  void serializer(MessageSerializer custom) {
    serializer = Objects.requireNonNull(custom, "serializer");
  }

  void randomPrefixLength(int length) {
    if (length < 0 || length > MAX_RANDOM_PREFIX_LENGTH) {
      throw new IllegalArgumentException("random_prefix_length must be between 0 and " + MAX_RANDOM_PREFIX_LENGTH
          + " bytes (and match every peer's; channels_redis's default is 12): '" + length + "'");
    }
    randomPrefixLength = length;
  }

  void symmetricEncryptionKeys(String... given) {
    if (given == null || given.length == 0) {
      throw new IllegalArgumentException("give at least one symmetric encryption key");
    }
    for (String k : given) {
      if (k == null || k.isEmpty()) {
        throw new IllegalArgumentException("symmetric encryption keys must not be empty: '" + k + "'");
      }
    }
    keys.addAll(List.of(given));
  }

  /** A copy, so a builder used again does not change a built layer. */
  SerializerOptions copy() {
    return new SerializerOptions(this);
  }

  /**
   * The codec these options describe.
   *
   * @param ttlSeconds the Fernet token age accepted on decode, or -1 for any
   */
  MemberCodec codec(long ttlSeconds, LongSupplier nowSeconds) {
    Fernet fernet = keys.isEmpty() ? null : Fernet.fromSecrets(keys);
    return new MemberCodec(serializer, fernet, randomPrefixLength, ttlSeconds, nowSeconds);
  }
}
