#!/usr/bin/env bash
# compare.sh - start a chat server, drive it with WsLoad, record server peak RSS / CPU, stop it.
#
#   compare.sh SCENARIO [SERVER_CMD_A [SERVER_CMD_B]]
#
# SCENARIO (WsLoad presets; extra WsLoad args can be appended with WSLOAD_ARGS="..."):
#   echo         fanout  1 room  x   1 client  x 2000 msgs, window 1   (round-trip latency)
#   rooms10      fanout 10 rooms x  10 clients x  100 msgs, window 1
#   room100      fanout  1 room  x 100 clients x   20 msgs, window 1
#   connect2000  connect 2000 connections over 20 rooms, hold 5 s
#   custom       only what WSLOAD_ARGS says (e.g. WSLOAD_ARGS="--scenario fanout --rooms 2 --clients 5")
# SERVER_CMD: a shell command line; "{port}" is replaced by the port. It must listen on 127.0.0.1:{port}
#   and should exec the server (so the started PID is the server). Default: the Daphne anchor, memory layer:
#   "chat-example/src/test/django/run.sh {port} memory" (the Django tutorial app on Daphne)
# With one server command it runs ROUNDS rounds and prints per-metric medians; with two it runs
# A B A B ... (ROUNDS each) and prints medians for A and B and the ratio B/A.
#
# Env: ROUNDS (3)  PORT (18765)  OUT (results dir; default a new /tmp/wsbench.XXXX)
#      WSLOAD_ARGS ("")  WSLOAD_JAVA_OPTS ("-XX:TieredStopAtLevel=1")  JAVA (java)  JAVAC (javac)
#      WARMUP_ARGS: if set, a WsLoad run with these args precedes each measured run on the same server
#                   instance (e.g. for JIT warm-up of a JVM server); its figures are discarded but the
#                   server's peak RSS includes it.
#      AUX_PID: PID of a helper process (e.g. redis-server) whose CPU delta is reported as aux_cpu_s
#      START_TIMEOUT_S (60)  STOP_TIMEOUT_S (10)
#
# The server is started in its own session/process group (setsid); only that group is ever signalled.
# Every exit path (including Ctrl-C) stops it. Nothing is left running.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SCEN="${1:-}"
if [[ -z "$SCEN" || "$SCEN" == "-h" || "$SCEN" == "--help" ]]; then
  sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
fi
shift
DEFAULT_CMD="$HERE/../../chat-example/src/test/django/run.sh {port} memory"
CMD_A="${1:-$DEFAULT_CMD}"
CMD_B="${2:-}"
ROUNDS="${ROUNDS:-3}"
PORT="${PORT:-18765}"
JAVA="${JAVA:-java}"
JAVAC="${JAVAC:-javac}"
WSLOAD_JAVA_OPTS="${WSLOAD_JAVA_OPTS:--XX:TieredStopAtLevel=1}"
START_TIMEOUT_S="${START_TIMEOUT_S:-60}"
STOP_TIMEOUT_S="${STOP_TIMEOUT_S:-10}"
OUT="${OUT:-$(mktemp -d /tmp/wsbench.XXXXXX)}"
mkdir -p "$OUT"

case "$SCEN" in
  echo)        SARGS="--scenario fanout --rooms 1 --clients 1 --messages 2000 --window 1" ;;
  rooms10)     SARGS="--scenario fanout --rooms 10 --clients 10 --messages 100 --window 1" ;;
  room100)     SARGS="--scenario fanout --rooms 1 --clients 100 --messages 20 --window 1" ;;
  connect2000) SARGS="--scenario connect --clients 2000 --rooms 20 --hold-ms 5000" ;;
  custom)      SARGS="" ;;
  *) echo "unknown scenario '$SCEN' (echo|rooms10|room100|connect2000|custom)" >&2; exit 2 ;;
esac
SARGS="$SARGS ${WSLOAD_ARGS:-}"

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

CLS="$(mktemp -d /tmp/wsload-cls.XXXXXX)"
SPID=""
WPID=""

stop_client() {
  [[ -z "$WPID" ]] && return 0
  kill -TERM "$WPID" 2>/dev/null
  wait "$WPID" 2>/dev/null
  WPID=""
}

stop_server() {
  [[ -z "$SPID" ]] && return 0
  if kill -0 "$SPID" 2>/dev/null; then
    kill -TERM -- "-$SPID" 2>/dev/null || kill -TERM "$SPID" 2>/dev/null
    local i
    for ((i = 0; i < STOP_TIMEOUT_S * 10; i++)); do
      kill -0 "$SPID" 2>/dev/null || break
      sleep 0.1
    done
  fi
  # Anything still in the group we created (including a stubborn leader) gets SIGKILL.
  kill -KILL -- "-$SPID" 2>/dev/null || true
  wait "$SPID" 2>/dev/null
  SPID=""
}
cleanup() { stop_client; stop_server; rm -rf "$CLS"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$JAVAC" -d "$CLS" "$HERE/WsLoad.java" || { echo "javac WsLoad.java failed" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# CPU ticks (utime+stime) of every process in process group $1, plus reaped children of the leader.
group_ticks() {
  local g="$1" t=0 f pid
  for f in /proc/[0-9]*/stat; do
    pid="${f#/proc/}"; pid="${pid%/stat}"
    local rest
    rest="$(cat "$f" 2>/dev/null)" || continue
    rest="${rest##*) }"   # fields from 3 (state) on; comm may contain spaces
    # shellcheck disable=SC2206
    local a=($rest)
    [[ "${a[2]}" == "$g" ]] || continue          # field 5: pgrp
    t=$((t + a[11] + a[12]))                      # fields 14,15: utime, stime
    [[ "$pid" == "$g" ]] && t=$((t + a[13] + a[14]))  # fields 16,17: cutime, cstime
  done
  echo "$t"
}
pid_ticks() { local rest; rest="$(cat "/proc/$1/stat" 2>/dev/null)" || { echo 0; return; }; rest="${rest##*) }"; local a=($rest); echo $((a[11] + a[12])); }
# Sum of VmHWM (peak RSS, kB) over the group's processes.
group_hwm_kb() {
  local g="$1" s=0 f pid
  for f in /proc/[0-9]*/stat; do
    pid="${f#/proc/}"; pid="${pid%/stat}"
    local rest; rest="$(cat "$f" 2>/dev/null)" || continue
    rest="${rest##*) }"; local a=($rest)
    [[ "${a[2]}" == "$g" ]] || continue
    local h; h="$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null)"
    s=$((s + ${h:-0}))
  done
  echo "$s"
}
TCK="$(getconf CLK_TCK)"

run_one() { # label cmd round
  local label="$1" cmd="${2//\{port\}/$PORT}" round="$3"
  local log="$OUT/server-$label-$round.log" res="$OUT/wsload-$label-$round.txt"
  if port_open; then echo "port $PORT already in use; refusing to benchmark someone else's server" >&2; return 1; fi
  setsid bash -c "exec $cmd" >"$log" 2>&1 < /dev/null &
  SPID=$!
  sleep 0.05
  local pg; pg="$(ps -o pgid= -p "$SPID" 2>/dev/null | tr -d ' ')"
  if [[ -n "$pg" && "$pg" != "$SPID" ]]; then
    echo "[$label#$round] setsid did not make PID $SPID a group leader (pgid $pg); aborting" >&2
    kill -TERM "$SPID" 2>/dev/null; sleep 1; kill -KILL "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; SPID=""; return 1
  fi
  local t0=$SECONDS ok=0
  while ((SECONDS - t0 < START_TIMEOUT_S)); do
    if ! kill -0 "$SPID" 2>/dev/null; then break; fi
    if port_open; then ok=1; break; fi
    sleep 0.1
  done
  if ((ok == 0)); then
    echo "[$label#$round] server did not come up on port $PORT (log: $log):" >&2; tail -5 "$log" >&2
    stop_server; return 1
  fi
  if [[ -n "${WARMUP_ARGS:-}" ]]; then
    # shellcheck disable=SC2086
    "$JAVA" $WSLOAD_JAVA_OPTS -cp "$CLS" WsLoad --port "$PORT" $WARMUP_ARGS --quiet >"$OUT/warmup-$label-$round.txt" 2>&1 &
    WPID=$!; wait "$WPID"; WPID=""
  fi
  local c0 a0=0 a1=0
  c0="$(group_ticks "$SPID")"
  [[ -n "${AUX_PID:-}" ]] && a0="$(pid_ticks "$AUX_PID")"
  # shellcheck disable=SC2086
  # (background + wait, so that a signal to this script is handled at once)
  "$JAVA" $WSLOAD_JAVA_OPTS -cp "$CLS" WsLoad --port "$PORT" $SARGS >"$res" 2>&1 &
  WPID=$!
  wait "$WPID"
  local rc=$?
  WPID=""
  local c1 hwm alive=1
  c1="$(group_ticks "$SPID")"
  hwm="$(group_hwm_kb "$SPID")"
  [[ -n "${AUX_PID:-}" ]] && a1="$(pid_ticks "$AUX_PID")"
  kill -0 "$SPID" 2>/dev/null || alive=0
  stop_server
  local js; js="$(grep '^{' "$res" | tail -1)"
  [[ -z "$js" ]] && js='{"ok": false, "error": "no JSON from WsLoad"}'
  sed '$d' "$res" | sed "s/^/[$label#$round] /"
  echo "[$label#$round] server: peak RSS $((hwm / 1024)) MiB, CPU $(awk -v d=$((c1 - c0)) -v t="$TCK" 'BEGIN{printf "%.2f", d/t}') s$( [[ -n "${AUX_PID:-}" ]] && awk -v d=$((a1 - a0)) -v t="$TCK" 'BEGIN{printf ", aux CPU %.2f s", d/t}'); wsload rc=$rc; server alive at end: $alive"
  printf '%s\n' "$js" | /usr/bin/python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
lab, rnd, cmd, hwm, cpu, aux, tck, alive, rc = sys.argv[1:10]
d.update({"label": lab, "round": int(rnd), "server_cmd": cmd, "server_peak_rss_mb": round(int(hwm) / 1024, 1),
          "server_cpu_s": round(int(cpu) / int(tck), 2), "server_alive_at_end": alive == "1", "wsload_rc": int(rc)})
if aux != "": d["aux_cpu_s"] = round(int(aux) / int(tck), 2)
print(json.dumps(d))' "$label" "$round" "$cmd" "$hwm" "$((c1 - c0))" "$( [[ -n "${AUX_PID:-}" ]] && echo $((a1 - a0)) )" "$TCK" "$alive" "$rc" >>"$OUT/results.jsonl"
}

echo "scenario=$SCEN  args: $SARGS"
echo "A: $CMD_A"
[[ -n "$CMD_B" ]] && echo "B: $CMD_B"
echo "results: $OUT/results.jsonl"
for ((r = 1; r <= ROUNDS; r++)); do
  run_one A "$CMD_A" "$r" || echo "[A#$r] run failed"
  [[ -n "$CMD_B" ]] && { run_one B "$CMD_B" "$r" || echo "[B#$r] run failed"; }
done

/usr/bin/python3 - "$OUT/results.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()] if __import__("os").path.exists(sys.argv[1]) else []
keys = ["throughput_per_s", "lat_p50_ms", "lat_p90_ms", "lat_p99_ms", "lat_max_ms", "lost", "duplicates",
        "connect_ok", "connect_failed", "connect_rate_per_s", "connect_p50_ms", "connect_p99_ms", "dropped_unexpectedly",
        "server_peak_rss_mb", "server_cpu_s", "aux_cpu_s", "client_cpu_s", "client_cpu_phase_s", "client_cpu_connect_s"]
labels = sorted({r["label"] for r in rows})
med = {}
for lab in labels:
    rs = [r for r in rows if r["label"] == lab]
    med[lab] = {k: statistics.median([r[k] for r in rs]) for k in keys if all(isinstance(r.get(k), (int, float)) for r in rs) and rs}
    med[lab]["runs"] = len(rs)
    med[lab]["ok_runs"] = sum(1 for r in rs if r.get("ok"))
print()
hdr = "%-22s" % "metric (median)" + "".join("%14s" % l for l in labels) + ("%12s" % "B/A" if len(labels) == 2 else "")
print(hdr)
for k in ["runs", "ok_runs"] + keys:
    if not any(k in med[l] for l in labels):
        continue
    line = "%-22s" % k + "".join("%14s" % (("%.3f" % med[l][k]).rstrip("0").rstrip(".") if k in med[l] else "-") for l in labels)
    if len(labels) == 2 and k in med["A"] and k in med["B"] and med["A"][k]:
        line += "%12.3f" % (med["B"][k] / med["A"][k])
    print(line)
print(json.dumps({"medians": {l: {k: (round(v, 4) if isinstance(v, float) else v) for k, v in m.items()} for l, m in med.items()}}))
PY
