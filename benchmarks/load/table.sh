#!/usr/bin/env bash
# table.sh - the whole table of docs/PERFORMANCE.md in one run: Daphne (A) and the chat example jar (B)
# alternating on every scenario, both layers, then the chat jar with its default heap (A) against
# -Xmx128m (B), then the idle-connection density run. Writes OUTDIR/<name>/results.jsonl per scenario;
# report.py turns them into the table and the charts.
#
#   table.sh [OUTDIR]        (from anywhere; needs `mvn package -DskipTests` first)
#
# Env: ROUNDS (3), WARMUP (WsLoad args of the warm-up run before each measured one), SCENARIOS ("room100 overload rooms10-redis echo connect2000 room100-xmx128"),
#      CHAT_JAR (chat-example/target/chat-example.jar), CHAT_JAVA_OPTS (""), DENSITY_CONNECTIONS (15000;
#      0 skips the density run).
# Starts its own loopback, non-persistent redis-server on a free port for the Redis rows and stops it.
# Needs redis-server, Debian's python3-django / -channels / -channels-redis / -daphne, and JDK 17+.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUTDIR="${1:-/tmp/channels4j-table.$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUTDIR" && OUTDIR="$(cd "$OUTDIR" && pwd)"
[[ -n "${CHAT_JAR:-}" && -f "$CHAT_JAR" ]] && CHAT_JAR="$(cd "$(dirname "$CHAT_JAR")" && pwd)/$(basename "$CHAT_JAR")"
# Commands run from the repository root with relative paths, so the recorded server_cmd of each result
# means the same in any clone.
cd "$ROOT" || exit 1
export ROUNDS="${ROUNDS:-3}"
SCENARIOS="${SCENARIOS:-room100 overload rooms10-redis echo connect2000 room100-xmx128}"
CHAT_JAR="${CHAT_JAR:-chat-example/target/chat-example.jar}"
CHAT_JAVA_OPTS="${CHAT_JAVA_OPTS:-}"
DAPHNE="chat-example/src/test/django/run.sh"
[[ -f "$CHAT_JAR" ]] || { echo "no $CHAT_JAR: run 'mvn -q package -DskipTests' first" >&2; exit 1; }

REDIS_PID=""
stop_redis() {
  [[ -n "$REDIS_PID" ]] && kill -TERM "$REDIS_PID" 2>/dev/null
  for _ in $(seq 50); do [[ -n "$REDIS_PID" ]] && kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
  [[ -n "$REDIS_PID" ]] && kill -KILL "$REDIS_PID" 2>/dev/null
  REDIS_PID=""
}
trap stop_redis EXIT
trap 'exit 130' INT TERM

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
  echo "memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "python: $(/usr/bin/python3 -c 'import channels, daphne, channels_redis, django; print("Django", django.__version__, "channels", channels.__version__, "daphne", daphne.__version__, "channels_redis", channels_redis.__version__)')"
  echo "redis: $(redis-server --version)"
  echo "rounds: $ROUNDS"
} >"$OUTDIR/machine.txt"
cat "$OUTDIR/machine.txt"

WARM="${WARMUP:---scenario fanout --rooms 1 --clients 100 --messages 10 --window 1}"  # 100,000 deliveries: the JIT settles
# --history 0: the Django tutorial app keeps no history, so both servers do the same work per message.
# --max-connections-per-ip 0: every load connection comes from 127.0.0.1 (Daphne has no such limit).
FLAGS="--history 0 --max-connections-per-ip 0"
CHAT="java $CHAT_JAVA_OPTS -jar $CHAT_JAR --port {port} $FLAGS"

for scen in $SCENARIOS; do
  name=""; extra=""; a="$DAPHNE {port} memory"; b="$CHAT"; aux=""; warm="$WARM"
  case "$scen" in
    room100|echo|connect2000) name="$scen" ;;
    overload) name=custom; extra="--scenario fanout --rooms 1 --clients 100 --messages 20 --window 5" ;;
    rooms10-redis)
      if [[ -z "$REDIS_PID" ]]; then
        RPORT="$(free_port)"
        redis-server --port "$RPORT" --bind 127.0.0.1 --save '' --appendonly no --logfile "$OUTDIR/redis.log" &
        REDIS_PID=$!
        for _ in $(seq 50); do redis-cli -p "$RPORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
      fi
      name=rooms10; aux="$REDIS_PID"
      a="env REDIS_URL=redis://127.0.0.1:$RPORT/0 $DAPHNE {port} redis"
      b="java $CHAT_JAVA_OPTS -jar $CHAT_JAR --port {port} $FLAGS --layer redis --redis-url redis://127.0.0.1:$RPORT/0" ;;
    room100-xmx128)
      name=room100; a="$CHAT"; b="java $CHAT_JAVA_OPTS -Xmx128m -jar $CHAT_JAR --port {port} $FLAGS" ;;
    *) echo "unknown scenario $scen" >&2; continue ;;
  esac
  [[ "$scen" == connect2000 ]] && warm="--scenario connect --clients 500 --rooms 20 --hold-ms 100"
  echo "=== $scen"
  OUT="$OUTDIR/$scen" AUX_PID="$aux" WSLOAD_ARGS="$extra" WARMUP_ARGS="$warm" \
    "$HERE/compare.sh" "$name" "$a" "$b" 2>&1 | tee "$OUTDIR/$scen.log" | grep -vE '^\[[AB]#'
done
stop_redis

if [[ "${DENSITY_CONNECTIONS:-15000}" != 0 && -x "$HERE/density.sh" ]]; then
  echo "=== density"
  N="${DENSITY_CONNECTIONS:-15000}"
  OUT="$OUTDIR/density" SERVER_JAVA_OPTS="-Xmx128m" SERVER_ARGS="--max-connections $((N + 1000)) --history 0" \
    "$HERE/density.sh" "$N" "$CHAT_JAR" 2>&1 | tee "$OUTDIR/density.log"
fi
echo "all results under $OUTDIR; table and charts: $HERE/report.py $OUTDIR"
