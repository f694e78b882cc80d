"""A channels_redis peer for the Java interop tests.

Usage: peer.py COMMAND HOSTS KEYS [ARGS...]
  HOSTS: comma-separated redis:// URIs (the same order as the Java layer's hosts)
  KEYS:  comma-separated symmetric_encryption_keys, or '-' for none
Commands:
  send CHANNEL          send EXPECTED to CHANNEL, print SENT
  group_send GROUP      group_send EXPECTED to GROUP, print SENT
  receive [GROUP]       make a channel (and join GROUP), print READY <channel>, receive one message,
                        print MATCH if it equals EXPECTED, else MISMATCH <repr>
  receive_named NAME    receive one message on the normal channel NAME and compare it likewise
"""
import asyncio
import sys

from channels_redis.core import RedisChannelLayer

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


async def main():
    cmd, hosts, keys = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
    rest = sys.argv[4:]
    layer = RedisChannelLayer(
        hosts=hosts, symmetric_encryption_keys=None if keys == "-" else keys.split(",")
    )
    try:
        if cmd == "send":
            await layer.send(rest[0], EXPECTED)
            print("SENT", flush=True)
        elif cmd == "group_send":
            await layer.group_send(rest[0], EXPECTED)
            print("SENT", flush=True)
        elif cmd in ("receive", "receive_named"):
            if cmd == "receive":
                channel = await layer.new_channel()
                if rest:
                    await layer.group_add(rest[0], channel)
            else:
                channel = rest[0]
            print("READY", channel, flush=True)
            message = await asyncio.wait_for(layer.receive(channel), 20)
            if message == EXPECTED and all(type(message[k]) is type(v) for k, v in EXPECTED.items()):
                print("MATCH", flush=True)
            else:
                print("MISMATCH", repr(message), flush=True)
        else:
            raise SystemExit("unknown command " + cmd)
    finally:
        await layer.close_pools()


asyncio.run(main())
