#!/usr/bin/env bash
# Heap with many open calls: posts BENCH_OPEN_CALLS (100,000) call_initiated events, each its own call that stays
# open, in BENCH_STEPS (4) steps; after each step: heap used after a full GC, the open-calls gauge, the store's
# size on disk, and what one call's completion and delivery cost with that many calls stored (a closed probe call,
# end -> Cekura 2xx).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18080}
CALLS=${BENCH_OPEN_CALLS:-100000}
STEPS=${BENCH_STEPS:-4}
STUB_PORT=${BENCH_STUB_PORT:-18099}
OUT=bench/out
mkdir -p "$OUT"
store_size() {
  if [ -n "${BENCH_DB_URL:-}" ]; then
    psql -h 127.0.0.1 -p "${BENCH_PG_PORT:-55432}" -U "${BENCH_DB_USER:-postgres}" -Atc "SELECT pg_size_pretty(pg_database_size('postgres'))"
  else du -sh "$OUT/open-data" | cut -f1; fi
}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -f target/cekura-call-bridge.jar ] || ./mvnw -B -q package -DskipTests
rm -rf "$OUT/open-data"
SERVER_PORT=$PORT LOGGING_LEVEL_CALLBRIDGE=${BENCH_LOG_LEVEL:-WARN} BRIDGE_CALL_GRACE=1s \
  CEKURA_WEBHOOK_URL="http://127.0.0.1:$STUB_PORT/hook" CEKURA_API_KEY=bench CEKURA_AGENT_ID=1 \
  SPRING_DATASOURCE_URL="${BENCH_DB_URL:-jdbc:h2:file:./$OUT/open-data/bridge;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=10000${BENCH_H2_OPTIONS:-}}" \
  SPRING_DATASOURCE_USERNAME="${BENCH_DB_USER:-sa}" \
  java ${JAVA_OPTS:--Xmx1g} -jar target/cekura-call-bridge.jar > "$OUT/open-bridge.log" 2>&1 & BRIDGE=$!
trap 'kill $BRIDGE 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null; do sleep 0.5; done

heap() {
  jcmd "$BRIDGE" GC.run >/dev/null
  sleep 1
  jcmd "$BRIDGE" GC.heap_info | awk '/garbage-first heap|used/ && !done {print; done=1}'
}
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
python3 bench/stub_cekura.py "$STUB_PORT" >/dev/null 2>&1 & STUB=$!
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
