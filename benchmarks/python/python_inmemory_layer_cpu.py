# Django Channels' InMemoryChannelLayer, same shape as benchmarks/python/python_inmemory_layer.py
# (group_send to N members, then drain every member), timed on process CPU time as well as wall time,
# so it compares with InMemoryLayerCpuProbe on a busy machine.
# Run with Debian's interpreter (apt-get install -y python3-django-channels):
#   /usr/bin/python3 benchmarks/python/python_inmemory_layer_cpu.py
import asyncio
import time

from channels.layers import InMemoryChannelLayer


async def main(members, sends):
    layer = InMemoryChannelLayer(capacity=10**6)
    chans = [await layer.new_channel() for _ in range(members)]
    for c in chans:
        await layer.group_add("g", c)
    w, t = time.perf_counter(), time.process_time()
    for i in range(sends):
        await layer.group_send("g", {"type": "chat.message", "message": "hello %d" % i})
    for c in chans:
        for i in range(sends):
            await layer.receive(c)
    wall, cpu = time.perf_counter() - w, time.process_time() - t
    n = members * sends
    print(f"members={members:>5} deliveries={n}: {n / wall:>10,.0f}/s wall, {n / cpu:>10,.0f}/s of CPU"
          f" ({cpu / n * 1e9:,.0f} ns CPU per delivery)")


for members, sends in ((10, 500), (100, 200), (1000, 20)):
    asyncio.run(main(members, sends))
