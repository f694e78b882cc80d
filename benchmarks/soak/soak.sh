#!/usr/bin/env bash
# soak.sh - the chat example under mixed load for a while, with one Redis restart and one flood.
#
#   benchmarks/soak/soak.sh [SECONDS]        (default 600; run from anywhere; needs redis-server)
# Env: JAR (default chat-example/target/chat-example.jar), JAVA_OPTS (-Xmx256m), OUT (results dir)
#
# Starts its own redis-server (ephemeral port, no persistence) and two chat-example nodes on the Redis
# layer, then, for SECONDS:
#   - load:   WsLoad fanout rounds (4 rooms x 10 clients x 100 msgs), alternating between the nodes;
#   - churn:  WsLoad connect rounds (200 connections held 1 s) against node B (under the 256-per-address default);
#   - flood:  at 1/3 of the run, one client sending 50,000 messages as fast as the server reads them;
#   - fault:  at 1/2 of the run, redis-server is shut down (NOSAVE) and restarted empty on the same port.
# It prints the nodes' live heap (after a full GC) before and after, threads before and after, and every
# round's result; messages lost in rounds that overlapped the Redis outage are counted apart (a send
# while Redis is away fails: at-most-once, as in Channels). Results go to OUT (default a new /tmp dir).
# Build first: mvn -q package -DskipTests
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DURATION="${1:-600}"
JAR="${JAR:-$ROOT/chat-example/target/chat-example.jar}"
OUT="${OUT:-$(mktemp -d /tmp/soak.XXXXXX)}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m}"
[[ -f "$JAR" ]] || { echo "build first: mvn -q package -DskipTests" >&2; exit 2; }
command -v redis-server >/dev/null || { echo "needs redis-server (apt-get install redis-server)" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
RPORT=$(free_port); PA=$(free_port); PB=$(free_port)
PIDS=()
cleanup() { for p in "${PIDS[@]}" "${REDIS_PID:-}"; do [[ -n "$p" ]] && kill "$p" 2>/dev/null; done; wait 2>/dev/null; }
trap cleanup EXIT

start_redis() {
  redis-server --port "$RPORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
    >>"$OUT/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 100); do redis-cli -p "$RPORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "redis-server did not start" >&2; exit 1
}
start_node() { # port log
  java $JAVA_OPTS -jar "$JAR" --layer redis --redis-url "redis://127.0.0.1:$RPORT/0" --port "$1" >"$2" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 300); do grep -q "Open http" "$2" && return 0; sleep 0.1; done
  echo "node on $1 did not start: $(tail -5 "$2")" >&2; exit 1
}
heap() { # pid -> live heap KiB after a full GC, and thread count
  jcmd "$1" GC.run >/dev/null 2>&1
  local used; used=$(jcmd "$1" GC.heap_info 2>/dev/null | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+')
  echo "heap_used_kib=${used:-?} threads=$(ls /proc/"$1"/task | wc -l)"
}

javac -d "$OUT/cls" "$ROOT/benchmarks/load/WsLoad.java" || exit 1
wsload() { java -XX:TieredStopAtLevel=1 -cp "$OUT/cls" WsLoad --quiet "$@"; }

start_redis
start_node "$PA" "$OUT/nodeA.log"; NODE_A=${PIDS[-1]}
start_node "$PB" "$OUT/nodeB.log"; NODE_B=${PIDS[-1]}
wsload --port "$PA" --rooms 2 --clients 10 --messages 50 >/dev/null   # warm-up
echo "before: A $(heap "$NODE_A")  B $(heap "$NODE_B")" | tee "$OUT/summary.txt"

START=$(date +%s); END=$((START + DURATION))
OUTAGE_FROM=0; OUTAGE_TO=0
(
  sleep $((DURATION / 3))
  echo "flood: $(wsload --port "$PA" --rooms 1 --clients 1 --messages 50000 --window 1000 --timeout-s 120)" >>"$OUT/flood.txt"
) &
FLOOD=$!
(
  sleep $((DURATION / 2))
  date +%s >"$OUT/outage-from"
  redis-cli -p "$RPORT" shutdown nosave >/dev/null 2>&1
  sleep 3
  start_redis
  date +%s >"$OUT/outage-to"
) &
FAULT=$!
(
  while [[ $(date +%s) -lt $END ]]; do
    wsload --port "$PB" --scenario connect --clients 200 --hold-ms 1000 >>"$OUT/churn.jsonl" 2>&1
  done
) &
CHURN=$!

round=0
while [[ $(date +%s) -lt $END ]]; do
  round=$((round + 1)); port=$PA; [[ $((round % 2)) -eq 0 ]] && port=$PB
  t0=$(date +%s)
  line=$(wsload --port "$port" --rooms 4 --clients 10 --messages 100 --timeout-s 60 | tail -1)
  echo "{\"round\": $round, \"t0\": $t0, \"t1\": $(date +%s), \"result\": $line}" >>"$OUT/rounds.jsonl"
done
wait "$FLOOD" "$FAULT" "$CHURN" 2>/dev/null

echo "after:  A $(heap "$NODE_A")  B $(heap "$NODE_B")" | tee -a "$OUT/summary.txt"
python3 - "$OUT" <<'PY' | tee -a "$OUT/summary.txt"
import json, sys, os
out = sys.argv[1]
f = lambda n: int(open(os.path.join(out, n)).read()) if os.path.exists(os.path.join(out, n)) else 0
a, b = f("outage-from"), f("outage-to")
clean = outage = 0; lost_clean = lost_outage = delivered = 0; bad = []
for line in open(os.path.join(out, "rounds.jsonl")):
    r = json.loads(line); res = r["result"]
    overlaps = a and r["t0"] <= b + 5 and r["t1"] >= a
    lost = res.get("lost", 0) or 0
    delivered += res.get("received", 0) or 0
    if overlaps: outage += 1; lost_outage += lost
    else:
        clean += 1; lost_clean += lost
        if not res.get("ok"): bad.append(r["round"])
print(f"rounds: {clean} outside the Redis outage (lost {lost_clean}), {outage} overlapping it (lost {lost_outage}, at-most-once)")
print(f"deliveries: {delivered}; rounds outside the outage that were not clean: {bad or 'none'}")
churn = [json.loads(l) for l in open(os.path.join(out, "churn.jsonl")) if l.startswith("{")]
print(f"churn rounds: {len(churn)}, connect failures: {sum(c.get('connect_failed', 0) or 0 for c in churn)}")
PY
echo "results in $OUT"
