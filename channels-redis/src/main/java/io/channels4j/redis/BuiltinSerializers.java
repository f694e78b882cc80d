package io.channels4j.redis;

import java.util.Map;

/** The two formats channels_redis registers: {@code msgpack} and {@code json}. */
final class BuiltinSerializers {

  static final MessageSerializer MSGPACK = new MessageSerializer() {
    @Override
    public byte[] toBytes(Map<String, Object> message) {
      return MsgPack.encode(message, null, null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> fromBytes(byte[] data, int offset, int length) {
      if (!(MsgPack.decode(data, offset, length) instanceof Map<?, ?> map)) {
        throw new IllegalArgumentException("a stored message must be a msgpack map");
      }
      return (Map<String, Object>) map;
    }

    @Override
    public String toString() {
      return "msgpack";
    }
  };

  static final MessageSerializer JSON = new MessageSerializer() {
    @Override
    public byte[] toBytes(Map<String, Object> message) {
      return PythonJson.dumps(message);
    }

    @Override
    public Map<String, Object> fromBytes(byte[] data, int offset, int length) {
      return PythonJson.loadsObject(data, offset, length);
    }

    @Override
    public String toString() {
      return "json";
    }
  };

  private BuiltinSerializers() {}
}
