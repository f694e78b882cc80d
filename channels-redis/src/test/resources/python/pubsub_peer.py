"""A channels_redis pub/sub peer for the Java interop tests.

Usage: pubsub_peer.py COMMAND HOSTS [ARGS...]   (HOSTS: comma-separated redis:// URIs)
  send CHANNEL | group_send GROUP   publish EXPECTED (from peer.py), print SENT
  receive [GROUP]                   new channel (+ group), print READY <channel>, then MATCH/MISMATCH
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from channels_redis.pubsub import RedisPubSubChannelLayer  # noqa: E402

from expected import EXPECTED  # noqa: E402


async def main():
    cmd, hosts, rest = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
    layer = RedisPubSubChannelLayer(hosts=hosts)
    try:
        if cmd == "send":
            await layer.send(rest[0], EXPECTED)
            print("SENT", flush=True)
        elif cmd == "group_send":
            await layer.group_send(rest[0], EXPECTED)
            print("SENT", flush=True)
        elif cmd == "receive":
            channel = await layer.new_channel()
            if rest:
                await layer.group_add(rest[0], channel)
            print("READY", channel, flush=True)
            message = await asyncio.wait_for(layer.receive(channel), 20)
            ok = message == EXPECTED and all(type(message[k]) is type(v) for k, v in EXPECTED.items())
            print("MATCH" if ok else "MISMATCH " + repr(message), flush=True)
        else:
            raise SystemExit("unknown command " + cmd)
    finally:
        await layer.flush()


asyncio.run(main())
