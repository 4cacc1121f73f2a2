#!/usr/bin/env bash
# Heap with many open calls: posts BENCH_OPEN_CALLS (100,000) call_initiated events, each its own call that stays
# open, then reports heap used after a full GC, before and after, and the open-calls gauge.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-18080}
CALLS=${BENCH_OPEN_CALLS:-100000}
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -f target/cekura-call-bridge.jar ] || ./mvnw -B -q package -DskipTests
rm -rf "$OUT/open-data"
SERVER_PORT=$PORT LOGGING_LEVEL_CALLBRIDGE=WARN \
  SPRING_DATASOURCE_URL="jdbc:h2:file:./$OUT/open-data/bridge;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE" \
  java ${JAVA_OPTS:--Xmx1g} -jar target/cekura-call-bridge.jar > "$OUT/open-bridge.log" 2>&1 & BRIDGE=$!
trap 'kill $BRIDGE 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null; do sleep 0.5; done

heap() {
  jcmd "$BRIDGE" GC.run >/dev/null
  sleep 1
  jcmd "$BRIDGE" GC.heap_info | awk '/garbage-first heap|used/ {print; exit}'
}
echo "== before: $(heap)"
PER_THREAD=$(( CALLS / 4 ))
BENCH_RUN=31 BENCH_ONLY_START=1 BENCH_MAX=$PER_THREAD wrk -t4 -c4 -d600s -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" | grep -E "requests in|Non-2xx" || true
echo "== after $CALLS open calls: $(heap)"
echo "open calls gauge: $(curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | grep -E '^bridge_calls_open' | awk '{print $2}')"
du -sh "$OUT/open-data"
