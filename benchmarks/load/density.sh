#!/usr/bin/env bash
# density.sh - what an idle WebSocket costs the chat server: live heap per connection after a full GC.
#
#   density.sh N JAR_A [JAR_B]
#
# For each jar (A B A B ..., ROUNDS rounds): starts `java $SERVER_JAVA_OPTS -jar JAR --port $PORT`,
# takes a class histogram (which runs a full GC first: only live objects count), opens N idle
# connections with IdleConns.java (spread over 127.0.0.2, .3, ... so maxConnectionsPerAddress does not
# refuse them; 100 rooms), waits until every handshake has ended, takes a second histogram, and reports
# (after - before) / N, the open/failed counts, whether the server is still alive, and the classes that
# grew most per connection. Histograms are kept in $OUT.
#
# Env: ROUNDS (1)  PORT (18766)  SERVER_JAVA_OPTS ("-Xmx128m")  SERVER_ARGS ("")  ROOMS (100)
#      SETTLE_S (3: wait after the last handshake)  OUT (results dir; default a new /tmp/density.XXXX)
# Needs `ulimit -n` above N in both processes (the script raises the soft limit to the hard one).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${1:-}"
if [[ -z "$N" || "$N" == "-h" || "$N" == "--help" || -z "${2:-}" ]]; then
  sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
fi
JARS=("$2")
[[ -n "${3:-}" ]] && JARS+=("$3")
ROUNDS="${ROUNDS:-1}"
PORT="${PORT:-18766}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx128m}"
SERVER_ARGS="${SERVER_ARGS:-}"
ROOMS="${ROOMS:-100}"
SETTLE_S="${SETTLE_S:-3}"
OUT="${OUT:-$(mktemp -d /tmp/density.XXXXXX)}"
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

CLS="$(mktemp -d /tmp/idleconns-cls.XXXXXX)"
SPID="" CPID=""
cleanup() {
  [[ -n "$CPID" ]] && { kill "$CPID" 2>/dev/null; wait "$CPID" 2>/dev/null; }
  if [[ -n "$SPID" ]]; then
    kill -TERM -- "-$SPID" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$SPID" 2>/dev/null
    wait "$SPID" 2>/dev/null
  fi
  SPID="" CPID=""
}
trap 'cleanup; rm -rf "$CLS"' EXIT
trap 'exit 130' INT TERM
javac -d "$CLS" "$HERE/IdleConns.java" || exit 1
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
total() { awk '/^Total/ {print $3}' "$1"; }

run_one() { # label jar round
  local label="$1" jar="$2" r="$3" pre="$OUT/$1-$3"
  if port_open; then echo "port $PORT in use" >&2; return 1; fi
  # shellcheck disable=SC2086
  setsid java $SERVER_JAVA_OPTS -jar "$jar" --port "$PORT" $SERVER_ARGS >"$pre-server.log" 2>&1 </dev/null &
  SPID=$!
  for _ in $(seq 600); do port_open && break; kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
  port_open || { echo "[$label#$r] server did not start"; tail -5 "$pre-server.log"; cleanup; return 1; }
  jcmd "$SPID" GC.class_histogram >"$pre-before.histo" 2>&1
  java -Xmx256m -cp "$CLS" IdleConns --port "$PORT" --clients "$N" --rooms "$ROOMS" --hold-s 3600 >"$pre-client.log" 2>&1 &
  CPID=$!
  for _ in $(seq 3000); do grep -q '^READY' "$pre-client.log" && break; kill -0 "$CPID" 2>/dev/null || break; sleep 0.1; done
  sleep "$SETTLE_S"
  local alive=1
  kill -0 "$SPID" 2>/dev/null || alive=0
  if ((alive)); then
    jcmd "$SPID" GC.class_histogram >"$pre-after.histo" 2>&1
    jcmd "$SPID" GC.heap_info >"$pre-heapinfo.txt" 2>&1
  fi
  local rss; rss="$(awk '/^VmHWM:/ {print $2}' "/proc/$SPID/status" 2>/dev/null)"
  local ready; ready="$(grep '^READY' "$pre-client.log" | head -1)"
  local drops; drops="$(grep -c '^DROPPED' "$pre-client.log")"
  local oom; oom="$(grep -c 'OutOfMemoryError' "$pre-server.log")"
  cleanup
  local b a per="-"
  b="$(total "$pre-before.histo")"
  a="$( ((alive)) && total "$pre-after.histo")"
  local open; open="$(awk '{print $2}' <<<"$ready")"
  [[ -n "$a" && -n "$b" && -n "$open" && "$open" -gt 0 ]] && per="$(awk -v a="$a" -v b="$b" -v n="$open" 'BEGIN{printf "%.2f", (a-b)/n/1024}')"
  echo "[$label#$r] $jar: ${ready:-no READY} dropped=$drops server_alive=$alive oom_lines=$oom heap_before=$((b / 1024))KiB heap_after=$(( ${a:-0} / 1024 ))KiB per_conn=${per}KiB peak_rss=$(( ${rss:-0} / 1024 ))MiB"
  echo "{\"label\":\"$label\",\"round\":$r,\"jar\":\"$jar\",\"open\":${open:-0},\"per_conn_kib\":\"$per\",\"alive\":$alive,\"dropped\":$drops,\"oom_lines\":$oom,\"peak_rss_kb\":${rss:-0}}" >>"$OUT/results.jsonl"
  if ((alive)) && [[ -n "$open" && "$open" -gt 0 ]]; then
    /usr/bin/python3 - "$pre-before.histo" "$pre-after.histo" "$open" >"$pre-growth.txt" <<'PY'
import re, sys
def load(p):
    d = {}
    for line in open(p):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m: d[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return d
b, a, n = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3])
rows = sorted(((a[k][1] - b.get(k, (0, 0))[1], a[k][0] - b.get(k, (0, 0))[0], k) for k in a), reverse=True)
print("%10s %10s  %s" % ("B/conn", "inst/conn", "class"))
for by, inst, k in rows[:40]:
    print("%10.1f %10.2f  %s" % (by / n, inst / n, k))
PY
    head -25 "$pre-growth.txt" | sed "s/^/[$label#$r]   /"
  fi
}

echo "N=$N  SERVER_JAVA_OPTS=$SERVER_JAVA_OPTS  results: $OUT"
for ((r = 1; r <= ROUNDS; r++)); do
  run_one A "${JARS[0]}" "$r"
  [[ ${#JARS[@]} -gt 1 ]] && run_one B "${JARS[1]}" "$r"
done
