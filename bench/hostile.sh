#!/usr/bin/env bash
# Hostile-load benchmark (issue 30): an ordinary salpre load alone, then the same load while 220 connections send
# slow bodies without credentials and two senders push 150 MB bodies at every path and method; then, on a small
# heap, three calls of heap-amplifying events ending together: the documented run command may exit on
# OutOfMemoryError, and after a restart every event answered 2xx must read back and its call be delivered.
#   BENCH_DURATION (20s)  BENCH_CONNECTIONS (8)  BENCH_WARMUP (60s)  SMALL_HEAP (-Xmx512m); bench/common.sh
set -euo pipefail
source "$(dirname "$0")/common.sh"
DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-8}
WARMUP=${BENCH_WARMUP:-60s}
SMALL_HEAP=${SMALL_HEAP:--Xmx512m}
RUN_FLAGS="-XX:+ExitOnOutOfMemoryError"   # the documented run command's

start_bridge() {   # start_bridge <heap flags>
  SERVER_PORT=$PORT CEKURA_WEBHOOK_URL="http://127.0.0.1:$STUB_PORT/hook" CEKURA_API_KEY=bench CEKURA_AGENT_ID=1 \
    BRIDGE_CALL_GRACE=1s LOGGING_LEVEL_CALLBRIDGE=WARN \
    java $RUN_FLAGS $1 -jar target/cekura-call-bridge-exec.jar >> "$OUT/hostile-bridge.log" 2>&1 & BRIDGE=$!
  until curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null; do
    kill -0 $BRIDGE 2>/dev/null || { echo "the bridge did not start: $OUT/hostile-bridge.log" >&2; exit 1; }
    sleep 0.5
  done
}
deliveries_settle() {
  local last=-1 now
  while true; do
    sleep 5
    now=$(curl -s "http://127.0.0.1:$STUB_PORT/stats")
    [ "$now" = "$last" ] && break
    last=$now
  done
  echo "stub Cekura: $now"
}

use_store hostile
: > "$OUT/hostile-bridge.log"
start_stub
start_bridge "$JAVA_OPTS"
trap 'kill $BRIDGE $STUB 2>/dev/null || true' EXIT

echo "== warm-up $WARMUP"
BENCH_RUN=1 wrk -t1 -c$CONNECTIONS -d"$WARMUP" -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" >/dev/null
deliveries_settle

echo "== ordinary load alone ($CONNECTIONS connections, $DURATION)"
BENCH_RUN=2 wrk -t1 -c$CONNECTIONS -d"$DURATION" --latency -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" | tee "$OUT/hostile-alone.txt"

echo "== the same load under attack"
python3 bench/hostile.py attack $PORT 40 > "$OUT/hostile-attack.json" & ATTACK=$!
sleep 12   # 220 slow connections open, big bodies flowing, the first read deadlines passed
BENCH_RUN=3 wrk -t1 -c$CONNECTIONS -d"$DURATION" --latency -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" | tee "$OUT/hostile-attacked.txt"
wait $ATTACK
echo "attackers got: $(cat "$OUT/hostile-attack.json")"
deliveries_settle
curl -s "http://127.0.0.1:$PORT/admin/summary"; echo

echo "== amplified calls on $SMALL_HEAP"
kill $BRIDGE; wait $BRIDGE 2>/dev/null || true
start_bridge "$SMALL_HEAP"
python3 bench/hostile.py amplified $PORT 1 > "$OUT/hostile-acks.jsonl" || true
sleep 5
if kill -0 $BRIDGE 2>/dev/null; then
  echo "the bridge is still running"
else
  echo "the bridge exited: $(grep -m1 -i 'OutOfMemoryError' "$OUT/hostile-bridge.log" || echo 'no OutOfMemoryError logged')"
  start_bridge "$SMALL_HEAP"
  echo "restarted"
fi
python3 - "$OUT/hostile-acks.jsonl" <<'PY'
import json, sys, collections
c = collections.Counter((a["status"], a["answer"][:60]) for a in map(json.loads, open(sys.argv[1])))
for (status, answer), n in sorted(c.items()): print(f"  {n:3} x {status} {answer}")
PY
python3 bench/hostile.py verify $PORT "$OUT/hostile-acks.jsonl"
