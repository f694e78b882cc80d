"""channels_redis side of GroupSendBenchmark: the same workload as the Java run.

  bench.py receivers HOST GROUP MEMBERS COUNT   join MEMBERS channels to GROUP, print READY, receive COUNT
                                               messages on each, print "LAT <p50_ms> <p99_ms> <received> <time of last>"
  bench.py sender HOST GROUP COUNT              group_send COUNT messages one after another, print "SENT <seconds> <start time>"
"""
import asyncio
import sys
import time

from channels_redis.core import RedisChannelLayer


async def receivers(host, group, members, count):
    layer = RedisChannelLayer(hosts=[host], capacity=1000)
    channels = [await layer.new_channel() for _ in range(members)]
    for c in channels:
        await layer.group_add(group, c)
    print("READY", flush=True)
    latencies = []
    last = [0.0]

    async def drain(c):
        for _ in range(count):
            m = await layer.receive(c)
            last[0] = time.time()
            latencies.append(last[0] - m["t"])

    try:
        await asyncio.wait_for(asyncio.gather(*(drain(c) for c in channels)), 60)
    except asyncio.TimeoutError:
        pass
    latencies.sort()
    n = len(latencies)
    print("LAT %.3f %.3f %d %.6f" % (latencies[n // 2] * 1000, latencies[int(n * 0.99)] * 1000, n, last[0]), flush=True)
    await layer.close_pools()


async def sender(host, group, count):
    layer = RedisChannelLayer(hosts=[host], capacity=1000)
    start = time.time()
    for i in range(count):
        await layer.group_send(group, {"type": "bench.message", "i": i, "t": time.time(), "text": "x" * 100})
    print("SENT %.3f %.6f" % (time.time() - start, start), flush=True)
    await layer.close_pools()


if sys.argv[1] == "receivers":
    asyncio.run(receivers(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])))
else:
    asyncio.run(sender(sys.argv[2], sys.argv[3], int(sys.argv[4])))
