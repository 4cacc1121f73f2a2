#!/usr/bin/env bash
# Where the CPU of the ack path goes: whole salpre calls at 32 connections while Java Flight Recorder samples the
# bridge, then the share of each thread group and the hottest frames (bench/profile.py). Run from anywhere:
# bench/profile.sh    BENCH_WARMUP (90s, unrecorded)  BENCH_RECORD (60s)  BENCH_CONNECTIONS (32); the store: bench/common.sh
# The recording stays in bench/out/ack-path.jfr (open it in JDK Mission Control for whole stacks).
set -euo pipefail
source "$(dirname "$0")/common.sh"
WARMUP=${BENCH_WARMUP:-90s}
RECORD=${BENCH_RECORD:-60s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
seconds() { local d=$1; case $d in *m) echo $(( ${d%m} * 60 ));; *s) echo "${d%s}";; *) echo "$d";; esac; }

use_store profile
start_stub
SERVER_PORT=$PORT CEKURA_WEBHOOK_URL="http://127.0.0.1:$STUB_PORT/hook" CEKURA_API_KEY=bench CEKURA_AGENT_ID=1 \
  BRIDGE_CALL_GRACE=${BRIDGE_CALL_GRACE:-5s} LOGGING_LEVEL_CALLBRIDGE=WARN \
  java $JAVA_OPTS -XX:StartFlightRecording=filename=$OUT/ack-path.jfr,settings=profile,delay=$WARMUP,duration=$RECORD \
  -jar target/cekura-call-bridge-exec.jar > "$OUT/profile-bridge.log" 2>&1 & BRIDGE=$!
trap 'kill $BRIDGE $STUB 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null; do sleep 0.5; done
LOAD=$(( $(seconds "$WARMUP") + $(seconds "$RECORD") + 5 ))
echo "== $CONNECTIONS connections for ${LOAD}s, recorded after $WARMUP for $RECORD"
BENCH_RUN=5 wrk -t2 -c"$CONNECTIONS" -d"${LOAD}s" --latency -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" | tee "$OUT/profile-wrk.txt"
for _ in $(seq 1 50); do [ -s "$OUT/ack-path.jfr" ] && break; sleep 0.2; done
jfr print --events jdk.ExecutionSample "$OUT/ack-path.jfr" | python3 bench/profile.py
