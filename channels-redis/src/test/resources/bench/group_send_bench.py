"""channels_redis side of io.channels4j.redis.bench.GroupSendBench (run by it; Debian's /usr/bin/python3).

Usage: group_send_bench.py IMPL ROLE URI GROUP
  IMPL: core (channels_redis.core.RedisChannelLayer) or pubsub (channels_redis.pubsub.RedisPubSubChannelLayer)
  ROLE: member (50 group members) or sender (50 group members, and the group_send loop)
Prints READY once its 50 channels are in GROUP, then reads commands from stdin:
  PHASE NAME EXPECTED DEADLINE_S OUTFILE SENDS WINDOW RATE
      reset counters, print ARMED; a sender then group_sends SENDS messages (at most WINDOW in flight,
      paced at RATE per second if RATE > 0); wait until EXPECTED deliveries or DEADLINE_S; write the
      latencies (int64 microseconds, native order) to OUTFILE; print DONE <deliveries> <last receipt us>
      <first send us> <send errors>
  QUIT
"""
import array
import asyncio
import sys
import time

MEMBERS = 50
TEXT = "a chat line of about sixty-four characters, like a real message"


def now_us():
    return time.time_ns() // 1000


async def main():
    impl, role, uri, group = sys.argv[1:5]
    if impl == "core":
        from channels_redis.core import RedisChannelLayer

        layer = RedisChannelLayer(hosts=[uri], capacity=1_000_000)
    else:
        from channels_redis.pubsub import RedisPubSubChannelLayer

        layer = RedisPubSubChannelLayer(hosts=[uri])
    channels = [await layer.new_channel() for _ in range(MEMBERS)]
    for c in channels:
        await layer.group_add(group, c)
    state = {"lat": array.array("q"), "expected": 1 << 62, "done": asyncio.Event(), "last": 0}

    async def receiver(channel):
        while True:
            m = await layer.receive(channel)
            t = now_us()
            lat = state["lat"]
            lat.append(t - m["t"])
            state["last"] = t
            if len(lat) >= state["expected"]:
                state["done"].set()

    tasks = [asyncio.ensure_future(receiver(c)) for c in channels]
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    print("READY", flush=True)
    while True:
        words = (await reader.readline()).decode().split()
        if not words or words[0] == "QUIT":
            break
        _, _name, expected, deadline, outfile, sends, window, rate = words
        state["lat"] = array.array("q")
        state["expected"] = int(expected)
        state["done"] = asyncio.Event()
        print("ARMED", flush=True)
        first = 0
        errors = 0
        if role == "sender":
            sem = asyncio.Semaphore(int(window))
            rate = float(rate)
            start = time.perf_counter()
            first = now_us()

            async def one(i):
                nonlocal errors
                try:
                    await layer.group_send(group, {"type": "bench.message", "t": now_us(), "i": i, "text": TEXT})
                except Exception:
                    errors += 1
                finally:
                    sem.release()

            pending = []
            for i in range(int(sends)):
                if rate > 0:
                    delay = start + i / rate - time.perf_counter()
                    if delay > 0:
                        await asyncio.sleep(delay)
                await sem.acquire()
                pending.append(asyncio.ensure_future(one(i)))
            await asyncio.gather(*pending)
        try:
            await asyncio.wait_for(state["done"].wait(), float(deadline))
        except asyncio.TimeoutError:
            pass
        with open(outfile, "wb") as f:
            state["lat"].tofile(f)
        print("DONE", len(state["lat"]), state["last"], first, errors, flush=True)
    for t in tasks:
        t.cancel()


asyncio.run(main())
