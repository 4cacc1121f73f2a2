#!/usr/bin/env bash
# Heap with many open calls: posts BENCH_OPEN_CALLS (100,000) call_initiated events, each its own call that stays
# open, in BENCH_STEPS (4) steps; after each step: heap used after a full GC, the open-calls gauge, the store's
# size on disk, and what one call's completion and delivery cost with that many calls stored (a closed probe call,
# end -> Cekura 2xx).
set -euo pipefail
source "$(dirname "$0")/common.sh"
CALLS=${BENCH_OPEN_CALLS:-100000}
STEPS=${BENCH_STEPS:-4}
use_store open-data
SERVER_PORT=$PORT LOGGING_LEVEL_CALLBRIDGE=${BENCH_LOG_LEVEL:-WARN} BRIDGE_CALL_GRACE=1s \
  CEKURA_WEBHOOK_URL="http://127.0.0.1:$STUB_PORT/hook" CEKURA_API_KEY=bench CEKURA_AGENT_ID=1 \
  java $JAVA_OPTS -jar target/cekura-call-bridge-exec.jar > "$OUT/open-bridge.log" 2>&1 & BRIDGE=$!
trap 'kill $BRIDGE 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null; do sleep 0.5; done

# live objects after a full GC (the class histogram forces one and counts only what survives it)
heap() { jcmd "$BRIDGE" GC.class_histogram | awk '/^Total/ {printf "live heap after full GC %.0f MB", $3/1048576}'; }
metric() { curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | awk -v m="$1" '$1 ~ "^"m && !done {print $2; done=1}'; }
# one whole call with a short grace: how long from its end to Cekura's 2xx with this many calls stored
probe() {
  local id=$1 at=1760084500 before t0
  before=$(metric 'bridge_delivery_end_to_ack_seconds_count')
  for event in call_initiated call_answered call_ended; do
    t0=$(date +%s%N)
    curl -sf -o /dev/null -H 'Content-Type: application/json' "http://127.0.0.1:$PORT/webhooks/salpre" \
      -d '{"event_type":"'$event'","timestamp_utc":'$at',"payload":{"call_id":'$id',"from":"+905555555555","to":"+905555555554"},"is_test":false}'
  done
  until [ "$(metric 'bridge_delivery_end_to_ack_seconds_count')" != "$before" ]; do sleep 0.05; done
  echo "probe call: end -> Cekura 2xx $(( ($(date +%s%N) - t0) / 1000000 )) ms (grace 1 s)"
}
start_stub
trap 'kill $BRIDGE $STUB 2>/dev/null || true' EXIT
echo "== 0 open calls: $(heap)"
STEP=$(( CALLS / STEPS ))
for i in $(seq 1 "$STEPS"); do
  # wrk waits out its whole duration even when every thread has sent its share: stop it once they have
  BENCH_RUN=$((30 + i)) BENCH_ONLY_START=1 BENCH_MAX=$(( STEP / 4 )) wrk -t4 -c4 -d600s -s bench/salpre-calls.lua \
    "http://127.0.0.1:$PORT" > "$OUT/open-step.txt" & WRK=$!
  until [ "$(metric 'bridge_calls_open' | cut -d. -f1)" -ge $(( STEP * i )) ]; do sleep 1; done
  kill -INT $WRK; wait $WRK || true
  grep -E "requests in|Non-2xx" "$OUT/open-step.txt" | tr '\n' ' '; echo
  echo "== $(metric 'bridge_calls_open') open calls: $(heap); store $(store_size)"
  probe $(( 990000000 + i ))
done
