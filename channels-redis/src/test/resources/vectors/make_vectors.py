"""Writes serializer_vectors.json: stored forms made by channels_redis's own serializers.py.

Usage: python3 make_vectors.py /path/to/channels_redis/serializers.py "<where it came from>" > serializer_vectors.json
(serializers.py is loaded on its own, so Debian's older redis-py does not matter; it needs msgpack and
cryptography). Not run by the tests; the tests read the JSON it printed.
"""
import importlib.util
import json
import struct
import sys
import time

spec = importlib.util.spec_from_file_location("crs", sys.argv[1])
crs = importlib.util.module_from_spec(spec)
spec.loader.exec_module(crs)


def tagged(v):
    """The message as JSON, with bytes as {"$bytes": hex} and floats as {"$float": repr}."""
    if isinstance(v, bytes):
        return {"$bytes": v.hex()}
    if isinstance(v, float):
        return {"$float": repr(v)}
    if isinstance(v, dict):
        return {k: tagged(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [tagged(x) for x in v]
    return v


CHAT = {"type": "chat.message", "text": "hello", "n": 42, "ok": True, "none": None}
RICH = {
    "type": "rich",
    "unicode": "caf\u00e9 \u20ac \U0001F600 \u4e2d",
    "controls": "tab\tnl\ncr\rquote\"back\\slash\x01\x1f\x7f/",
    "ints": [0, -1, 127, 128, 255, 256, 65535, 65536, -32, -33, -129, 2**31, 2**32, 2**63 - 1, -(2**63), 2**64 - 1],
    "floats": [0.0, -0.0, 0.1, 1.5, -2.25, 1e16, 1e15, 123456789012345.6, 1e-05, 0.0001, 1e22, 1.7976931348623157e308,
               5e-324, 2.0 / 3.0, 100.0, 1e300],
    "nested": {"a": [1, {"b": None}], "empty": {}, "list": []},
    "__asgi_channel__": "specific.1233c3cbc299408b911a38f5322a6590!382ff764abce4779880e074c44442d95",
}
WITH_BYTES = {"type": "websocket.send", "bytes": b"\x00\x01\xff", "text": None, "big": b"x" * 300}
GROUP = {"type": "chat.message", "text": "hi", "__asgi_channel__": ["specific.a!1", "specific.a!2"]}
SPECIALS = {"type": "special", "nan": float("nan"), "inf": float("inf"), "ninf": float("-inf")}
KEYS = ["my-secret-key", "older-key"]

cases = [
    # name, format, random_prefix_length, expiry, keys, message
    ("core-msgpack", "msgpack", 12, 60, None, CHAT),
    ("core-msgpack-bytes", "msgpack", 12, 60, None, WITH_BYTES),
    ("core-msgpack-rich", "msgpack", 12, 60, None, RICH),
    ("core-msgpack-prefix0", "msgpack", 0, 60, None, CHAT),
    ("core-msgpack-prefix4", "msgpack", 4, 60, None, GROUP),
    ("core-msgpack-prefix32", "msgpack", 32, 60, None, CHAT),
    ("core-msgpack-encrypted", "msgpack", 12, 60, KEYS, WITH_BYTES),
    ("core-msgpack-encrypted-old-key", "msgpack", 12, 60, KEYS[1:], CHAT),
    ("core-json", "json", 12, 60, None, CHAT),
    ("core-json-rich", "json", 12, 60, None, RICH),
    ("core-json-group", "json", 12, 60, None, GROUP),
    ("core-json-specials", "json", 12, 60, None, SPECIALS),
    ("core-json-prefix0", "json", 0, 60, None, CHAT),
    ("core-json-prefix20", "json", 20, 60, None, GROUP),
    ("core-json-encrypted", "json", 12, 60, KEYS, RICH),
    ("pubsub-msgpack", "msgpack", 0, None, None, CHAT),
    ("pubsub-msgpack-encrypted", "msgpack", 0, None, KEYS, WITH_BYTES),
    ("pubsub-json", "json", 0, None, None, RICH),
    ("pubsub-json-encrypted", "json", 0, None, KEYS, CHAT),
]

out = []
for name, fmt, prefix_length, expiry, keys, message in cases:
    s = crs.registry.get_serializer(fmt, random_prefix_length=prefix_length, expiry=expiry,
                                    symmetric_encryption_keys=keys)
    stored = s.serialize(message)
    body = stored[prefix_length:]
    entry = {"name": name, "format": fmt, "random_prefix_length": prefix_length, "expiry": expiry,
             "keys": keys, "message": tagged(message), "stored_hex": stored.hex()}
    if keys:
        entry["token_time"] = struct.unpack(">Q", __import__("base64").urlsafe_b64decode(body)[1:9])[0]
        # the payload inside the token, as a plain serializer of the same format writes it
        entry["plain_hex"] = crs.registry.get_serializer(fmt).serialize(message).hex()
    assert s.deserialize(stored) == message or name.endswith("specials") or "rich" in name
    out.append(entry)

try:
    crs.registry.get_serializer("json").serialize(WITH_BYTES)
except TypeError as e:
    bytes_error = str(e)

# json.dumps writes floats with float.__repr__: edge cases and random doubles, as IEEE bits -> text
import random
rng = random.Random(4242)
floats = [1e16, 1e15, 9999999999999998.0, 1e-4, 1e-5, 0.1, 0.2, 0.3, 1 / 3, 2.0 ** 52, 2.0 ** 53, 2.0 ** 63, 2.0 ** -1022,
          5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123.456, 1e23, 2e23, 8.41e21, 5e-310, 9.5367431640625e-07]
floats += [rng.uniform(-1e6, 1e6) for _ in range(300)]
floats += [struct.unpack(">d", struct.pack(">Q", rng.getrandbits(64)))[0] for _ in range(1500)]
floats += [2.0 ** e for e in range(-1074, 1024, 7)]
reprs = [[struct.unpack(">Q", struct.pack(">d", f))[0], json.dumps(f)] for f in floats if f == f]

json.dump({"channels_redis_serializers": sys.argv[2], "generated_at": int(time.time()),
           "json_bytes_error": bytes_error, "vectors": out, "float_reprs": reprs}, sys.stdout, indent=1)
print()
