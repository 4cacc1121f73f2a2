#!/usr/bin/env bash
# Outbound trigger benchmark: 500 triggers (4 connections x 125) against the bridge, dialed through a
# stub provider API. Prints the trigger answer latency (wrk; the answer waits for the first dial to be accepted,
# OUTBOUND_ANSWER_WAIT, so it includes the stub's answer) and receipt -> first dial attempt / dialed (bridge timers).
# The rate limit (OUTBOUND_TRIGGER_RATE_LIMIT, default 20/s) is lifted so that wrk measures the bridge, not the limit;
# "Non-2xx" would show 429s otherwise.
set -euo pipefail
source "$(dirname "$0")/common.sh"

use_store triggers-data
start_stub
SERVER_PORT=$PORT OUTBOUND_DIAL_URL="http://127.0.0.1:$STUB_PORT/dial" OUTBOUND_DIAL_API_KEY=bench OUTBOUND_TRIGGER_RATE_LIMIT=0 \
  LOGGING_LEVEL_CALLBRIDGE=WARN java $JAVA_OPTS -jar target/cekura-call-bridge-exec.jar > "$OUT/triggers-bridge.log" 2>&1 & BRIDGE=$!
trap 'kill $BRIDGE $STUB 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null; do sleep 0.5; done

echo "== warm-up: 200 triggers"
BENCH_MAX=50 wrk -t4 -c4 -d20s -s bench/triggers.lua "http://127.0.0.1:$PORT" >/dev/null
sleep 2
before=$(curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | grep -E '^bridge_outbound_receipt_to_first_attempt_seconds_count' | awk '{print $2}')
echo "== 500 triggers, 4 connections"
BENCH_MAX=125 wrk -t4 -c4 -d30s --latency -s bench/triggers.lua "http://127.0.0.1:$PORT" | tee "$OUT/triggers.txt" | grep -E "requests in|^ +(50|90|99)%|Non-2xx"
sleep 3
echo "== bridge timers (quantiles over the recent window, warm-up included: $before before the run)"
curl -s "http://127.0.0.1:$PORT/actuator/prometheus" | grep -E '^bridge_outbound_(receipt_to_first_attempt|receipt_to_dialed)_seconds(\{.*quantile|_count|_max)|^bridge_outbound_triggers_total|^http_server_requests_seconds_(count|sum|max)\{.*outbound-trigger'
