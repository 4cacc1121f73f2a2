#!/usr/bin/env bash
# Delivery at Cekura's pace (issue 32): N salpre calls end within a few seconds; a stub Cekura answers each POST after
# a base latency plus a cost per call, with a share of 503s and 429s (Retry-After). Prints delivered, duplicates,
# call end -> Cekura p50/p99/max, calls outside the window, POSTs in flight peak, delivery threads, heap peak.
#   bench/pace.sh [JAR]   (default target/cekura-call-bridge-exec.jar)
#   CALLS (1000)  SPREAD_MS (10000)  BASE_MS (1000)  PER_CALL_MS (20)  P503 (0)  P429 (0)  RETRY_AFTER (2)
#   PACE_NAME (pace: output folder and log)  BENCH_PORT / BENCH_STUB_PORT (bench/common.sh)  BRIDGE_ENV (extra
#   variables for the bridge, e.g. "CEKURA_MAX_IN_FLIGHT=16")
# Two at once compare two builds under the same minutes: PACE_NAME=old BENCH_PORT=18180 BENCH_STUB_PORT=18199 bench/pace.sh old.jar &
set -euo pipefail
JAR=$(realpath "${1:-$(dirname "$0")/../target/cekura-call-bridge-exec.jar}")
source "$(dirname "$0")/common.sh"
NAME=${PACE_NAME:-pace}
use_store "$NAME"
env ${BRIDGE_ENV:-} SERVER_PORT=$PORT CEKURA_WEBHOOK_URL="http://127.0.0.1:$STUB_PORT/hook" CEKURA_API_KEY=bench CEKURA_AGENT_ID=1 \
  BRIDGE_CALL_GRACE=${BRIDGE_CALL_GRACE:-1s} LOGGING_LEVEL_CALLBRIDGE=WARN \
  java $JAVA_OPTS -jar "$JAR" > "$OUT/$NAME-bridge.log" 2>&1 & BRIDGE=$!
trap 'kill $BRIDGE 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null; do sleep 0.5; done
BRIDGE_URL="http://127.0.0.1:$PORT" BRIDGE_PID=$BRIDGE STUB_PORT=$STUB_PORT \
  java -XX:TieredStopAtLevel=1 -Xmx256m -Dsun.net.httpserver.nodelay=true bench/PaceBench.java | tee "$OUT/$NAME.txt"
