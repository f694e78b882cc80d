package io.channels4j.redis;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** channels_redis's {@code _consistent_hash}: {@code int((crc32(utf8(value)) & 0xFFF) / (4096 / n))}. */
final class ConsistentHash {

  private ConsistentHash() {}

  /** The shard index in {@code [0, ringSize)} for {@code value}. */
  static int shard(String value, int ringSize) {
    if (ringSize == 1) {
      return 0;
    }
    CRC32 crc = new CRC32();
    crc.update(value.getBytes(StandardCharsets.UTF_8));
    long big = crc.getValue() & 0xFFF;
    return (int) (big / (4096.0 / ringSize));
  }
}
