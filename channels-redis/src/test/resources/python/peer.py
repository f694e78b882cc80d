"""A channels_redis peer for the Java interop tests.

Usage: peer.py COMMAND HOSTS KEYS [ARGS...]
  HOSTS: comma-separated redis:// URIs (the same order as the Java layer's hosts)
  KEYS:  comma-separated symmetric_encryption_keys, or '-' for none
Commands:
  send CHANNEL          send EXPECTED to CHANNEL, print SENT
  group_send GROUP      group_send EXPECTED to GROUP, print SENT
  receive [GROUP [ID]]  make a channel (and join GROUP), print READY <channel>, receive one message,
                        print MATCH if it equals EXPECTED (plus history_id ID if given), else MISMATCH <repr>
  receive_named NAME    receive one message on the normal channel NAME and compare it likewise
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from channels_redis.core import RedisChannelLayer  # noqa: E402

from expected import EXPECTED  # noqa: E402


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
            expected = dict(EXPECTED)
            if cmd == "receive" and len(rest) > 1:
                expected["history_id"] = rest[1]
            if message == expected and all(type(message[k]) is type(v) for k, v in expected.items()):
                print("MATCH", flush=True)
            else:
                print("MISMATCH", repr(message), flush=True)
        else:
            raise SystemExit("unknown command " + cmd)
    finally:
        await layer.close_pools()


asyncio.run(main())
