#!/usr/bin/env bash
# connect-cost.sh - server CPU per WebSocket connect + close, after warm-up.
#
#   connect-cost.sh N JAR_A [JAR_B]
#
# For each jar (A B A B ..., ROUNDS rounds): starts `java $SERVER_JAVA_OPTS -jar JAR --port $PORT`,
# runs N connect + close cycles with IdleConns.java --churn (64 at a time, spread over 127.0.0.2-51)
# WARMUPS times to warm the JIT, then N more while it reads the server's CPU time (utime + stime from
# /proc) before and after: CPU per cycle = delta / N. Access-log lines stay on (they go to the server
# log file). PROFILE=1 records the measured cycles only with JFR (settings=profile) into $OUT/LABEL-ROUND.jfr
# and prints the hottest methods (self and total samples, jfr-top.py).
#
# Env: ROUNDS (3)  PORT (18767)  SERVER_JAVA_OPTS ("-Xmx128m")  WARMUPS (2)  PROFILE (0)
#      OUT (default /tmp/connect.XXXX)
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
N="${1:-}"
if [[ -z "$N" || "$N" == "-h" || "$N" == "--help" || -z "${2:-}" ]]; then
  sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
fi
JARS=("$2")
[[ -n "${3:-}" ]] && JARS+=("$3")
ROUNDS="${ROUNDS:-3}"
PORT="${PORT:-18767}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xmx128m}"
WARMUPS="${WARMUPS:-2}"
OUT="${OUT:-$(mktemp -d /tmp/connect.XXXXXX)}"
mkdir -p "$OUT"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
CLS="$(mktemp -d /tmp/idleconns-cls.XXXXXX)"
SPID=""
stop_server() {
  [[ -z "$SPID" ]] && return 0
  kill -TERM -- "-$SPID" 2>/dev/null
  for _ in $(seq 100); do kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$SPID" 2>/dev/null
  wait "$SPID" 2>/dev/null
  SPID=""
}
trap 'stop_server; rm -rf "$CLS"' EXIT
trap 'exit 130' INT TERM
javac -d "$CLS" "$HERE/IdleConns.java" || exit 1
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }
# utime+stime per thread name (digits folded to #), for where the CPU went
thread_ticks() { for f in /proc/"$1"/task/*; do local n r; n="$(tr -d ' ' <"$f/comm" | sed 's/[0-9][0-9]*/#/g')"; r="$(cat "$f/stat" 2>/dev/null)" || continue; r="${r##*) }"; local a=($r); echo "$n $((a[11] + a[12]))"; done | awk '{s[$1]+=$2} END {for (k in s) print k, s[k]}' | sort; }
ticks() { local r; r="$(cat "/proc/$1/stat")"; r="${r##*) }"; local a=($r); echo $((a[11] + a[12])); }
TCK="$(getconf CLK_TCK)"
churn() { java -Xmx128m -XX:TieredStopAtLevel=1 -cp "$CLS" IdleConns --churn --port "$PORT" --clients "$N" --concurrency 64 --hold-s 0; }

run_one() { # label jar round
  local label="$1" jar="$2" r="$3" pre="$OUT/$1-$3"
  if port_open; then echo "port $PORT in use" >&2; return 1; fi
  # shellcheck disable=SC2086
  setsid java ${SERVER_JAVA_OPTS//\{out\}/$pre} -jar "$jar" --port "$PORT" >"$pre-server.log" 2>&1 </dev/null &
  SPID=$!
  for _ in $(seq 600); do port_open && break; kill -0 "$SPID" 2>/dev/null || break; sleep 0.1; done
  port_open || { echo "[$label#$r] server did not start"; tail -5 "$pre-server.log"; stop_server; return 1; }
  for ((w = 0; w < WARMUPS; w++)); do churn >"$pre-warmup$w.txt" 2>&1; done
  local c0 c1 t0 t1
  [[ "${PROFILE:-0}" == 1 ]] && jcmd "$SPID" JFR.start name=cc settings=profile >/dev/null
  thread_ticks "$SPID" >"$pre-threads0.txt"
  c0="$(ticks "$SPID")"; t0="$(date +%s.%N)"
  churn >"$pre-client.txt" 2>&1
  c1="$(ticks "$SPID")"; t1="$(date +%s.%N)"
  thread_ticks "$SPID" >"$pre-threads1.txt"
  [[ "${PROFILE:-0}" == 1 ]] && jcmd "$SPID" JFR.stop name=cc filename="$pre.jfr" >/dev/null
  stop_server
  join -a2 "$pre-threads0.txt" "$pre-threads1.txt" | awk -v t="$TCK" '{d = (NF == 3 ? $3 - $2 : $2); if (d > 0) printf "%s %.2f\n", $1, d / t}' \
    | sort -k2 -nr | head -8 | tr '\n' ' ' | sed "s/^/[$label#$r] CPU s by thread: /; s/\$/\n/" >"$pre-threads.txt"
  local ready; ready="$(grep '^READY' "$pre-client.txt" | head -1)"
  local done_n; done_n="$(awk '{print $2}' <<<"$ready")"
  awk -v l="$label" -v r="$r" -v j="$jar" -v d=$((c1 - c0)) -v t="$TCK" -v n="${done_n:-0}" -v w0="$t0" -v w1="$t1" -v rd="$ready" \
    'BEGIN{printf "[%s#%d] %s: %s  server CPU %.2f s in %.1f s wall = %.0f us per connect+close\n", l, r, j, rd, d/t, w1-w0, (n>0? d/t/n*1e6 : -1)}' \
    | tee -a "$OUT/results.txt"
  tee -a "$OUT/results.txt" <"$pre-threads.txt"
  [[ "${PROFILE:-0}" == 1 && -f "$pre.jfr" ]] && /usr/bin/python3 "$HERE/jfr-top.py" "$pre.jfr" >"$pre-profile.txt" && head -45 "$pre-profile.txt"
}

echo "N=$N  SERVER_JAVA_OPTS=$SERVER_JAVA_OPTS  results: $OUT"
for ((r = 1; r <= ROUNDS; r++)); do
  run_one A "${JARS[0]}" "$r"
  [[ ${#JARS[@]} -gt 1 ]] && run_one B "${JARS[1]}" "$r"
done
