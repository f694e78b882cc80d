"""The message both interop peers send and expect (RedisInteropTest.expected() in Java)."""

EXPECTED = {
    "type": "interop.message",
    "text": "h\u00e9llo \u2713 \u65e5\u672c \U0001F600",
    "bytes": b"\x00\x01\xfe\xff",
    "nested": {"a": [1, 2.5, None, True, {"b": b"x"}], "empty": {}},
    "float": -1.25e300,
    "big": 2**63 + 5,
    "neg": -(2**63),
    "list": [1, "two", [3]],
    "false": False,
}
