#!/usr/bin/env bash
# Ack-path benchmark: whole salpre calls against the bridge, against a bare platform-http route and against
# durable ingest written the textbook Camel way (bench/textbook.camel.yaml), all in the same JVM on the same
# store, then what a stub Cekura received. Run from anywhere: bench/run.sh
#   BENCH_DURATION (20s)  BENCH_CONNECTIONS (32)  BENCH_THREADS (2)  BENCH_WARMUP (240s)  BENCH_LEAD_IN (30s)
#   JAVA_OPTS; the store: bench/common.sh
set -euo pipefail
source "$(dirname "$0")/common.sh"
DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-240s}
LEAD_IN=${BENCH_LEAD_IN:-30s}

use_store data
start_stub
SERVER_PORT=$PORT CEKURA_WEBHOOK_URL="http://127.0.0.1:$STUB_PORT/hook" CEKURA_API_KEY=bench CEKURA_AGENT_ID=1 \
  CAMEL_MAIN_ROUTESINCLUDEPATTERN="file:./bench/bare.camel.yaml,file:./bench/textbook.camel.yaml" \
  BRIDGE_CALL_GRACE=${BRIDGE_CALL_GRACE:-5s} LOGGING_LEVEL_CALLBRIDGE=WARN \
  java $JAVA_OPTS -jar target/cekura-call-bridge-exec.jar > "$OUT/bridge.log" 2>&1 & BRIDGE=$!
trap 'kill $BRIDGE $STUB 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/actuator/health" >/dev/null; do sleep 0.5; done

# The JIT needs minutes of this mixed load before its compiler threads go quiet on 2 cores: measuring
# after a few seconds times the compiler, not the code (measured: the compiler threads take 20-24 % of the
# JVM's CPU for the first 150 s of bridge load and 0-2 % from 180 s on). The routes are warmed at once, then measured alone.
for _ in $(seq 1 150); do grep -q "textbook route's table ready" "$OUT/bridge.log" && break; sleep 0.2; done
grep -q "textbook route's table ready" "$OUT/bridge.log" || { echo "the textbook route did not start: $OUT/bridge.log" >&2; exit 1; }
echo "== warm-up: the three routes at once, $WARMUP"
BENCH_RUN=1 BENCH_PATH=/bench/bare wrk -t1 -c16 -d"$WARMUP" -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" >/dev/null & WARM_BARE=$!
BENCH_RUN=10 BENCH_PATH=/bench/textbook wrk -t1 -c16 -d"$WARMUP" -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" >/dev/null & WARM_TEXTBOOK=$!
BENCH_RUN=2 wrk -t1 -c16 -d"$WARMUP" -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" >/dev/null
wait $WARM_BARE $WARM_TEXTBOOK
sleep 10   # the calls of the warm-up are delivered

echo "== 1,000 posts, one connection (ack latency)"
BENCH_RUN=3 BENCH_MAX=1000 wrk -t1 -c1 -d60s --latency -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" | tee "$OUT/serial.txt"

# Each measured run follows $LEAD_IN of the same load on the same route, unmeasured: the JIT recompiles what the
# other route's run let go cold (measured per thread: a bridge run right after bare load spent 17-26 % of the JVM's
# CPU in the compiler threads, the next bridge run 13 %). Same for both routes: the ratio compares warm routes.
# the bridge JVM's CPU time (user + system) in clock ticks, read around each measured run: CPU per request
cpu_ticks() { awk '{print $14 + $15}' "/proc/$BRIDGE/stat"; }
measure() { # <name> <run> <path>: one measured run, its JVM CPU in $OUT/<name>.cpu
  local before after; before=$(cpu_ticks)
  BENCH_RUN=$2 BENCH_PATH=$3 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" | tee "$OUT/$1.txt"
  after=$(cpu_ticks); echo $((after - before)) > "$OUT/$1.cpu"
}

lead_in() { # <run> <path>
  BENCH_RUN=$1 BENCH_PATH=$2 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$LEAD_IN" -s bench/salpre-calls.lua "http://127.0.0.1:$PORT" >/dev/null
}

lead_in 7 /bench/bare
echo "== bare platform-http route: $CONNECTIONS connections, $DURATION"
measure bare 4 /bench/bare

lead_in 8 /webhooks/salpre
curl -s "http://127.0.0.1:$PORT/actuator/prometheus" > "$OUT/metrics-before.txt"
echo "== bridge /webhooks/salpre: $CONNECTIONS connections, $DURATION"
measure bridge 5 /webhooks/salpre

echo "== waiting until deliveries stop growing"
last=-1; now=0
while [ "$now" != "$last" ]; do
  last=$now; sleep 10
  now=$(curl -s "http://127.0.0.1:$STUB_PORT/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["posts"])')
done
curl -s "http://127.0.0.1:$PORT/actuator/prometheus" > "$OUT/metrics-after.txt"

# the same calls stored the textbook Camel way (each body a new key: the runs' call ids differ), same store
lead_in 11 /bench/textbook
echo "== textbook Camel route /bench/textbook: $CONNECTIONS connections, $DURATION"
measure textbook 12 /bench/textbook
# on H2 the textbook route's 200 is durable only with a CHECKPOINT after its insert, as the bridge's is
if [ -z "${BENCH_DB_URL:-}" ]; then
  lead_in 13 /bench/textbook-durable
  echo "== textbook Camel route with its CHECKPOINT /bench/textbook-durable: $CONNECTIONS connections, $DURATION"
  measure textbook-durable 14 /bench/textbook-durable
fi

# the VM's speed drifts: the bare route again, right after, and the ratio is taken against the mean of both
lead_in 9 /bench/bare
echo "== bare platform-http route again: $CONNECTIONS connections, $DURATION"
measure bare-after 6 /bench/bare

rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
pct() { awk -v p="$2" '$1 == p {print $2}' "$1"; }
# JVM CPU per answered request, in microseconds
cpu() { awk -v t="$(cat $OUT/$1.cpu)" -v hz="$(getconf CLK_TCK)" '/^  [0-9]+ requests in/ {printf "%.0f", t * 1e6 / hz / $1}' "$OUT/$1.txt"; }
line() { echo "$(rate $OUT/$1.txt) req/s, p50 $(pct $OUT/$1.txt 50%), p99 $(pct $OUT/$1.txt 99%), JVM CPU $(cpu $1) us/request"; }

{
  echo "== summary ($(nproc) cores, $(date -u +%F), wrk -t$THREADS -c$CONNECTIONS -d$DURATION, whole 7-event salpre calls, JVM: $JAVA_OPTS)"
  echo "bare   route: $(line bare)"
  echo "bare   again: $(line bare-after)"
  echo "bridge route: $(line bridge)"
  echo "textbook route: $(line textbook)"
  [ -f "$OUT/textbook-durable.txt" ] && [ -z "${BENCH_DB_URL:-}" ] && echo "textbook route with CHECKPOINT: $(line textbook-durable)"
  awk -v b="$(rate $OUT/bare.txt)" -v a="$(rate $OUT/bare-after.txt)" -v r="$(rate $OUT/bridge.txt)" -v t="$(rate $OUT/textbook.txt)" \
    'BEGIN { printf "ratio bridge/bare (mean of both bare runs): %.0f %%\n", 200*r/(a+b);
             printf "ratio textbook/bare (mean of both bare runs): %.0f %%\n", 200*t/(a+b);
             if (t > 0) printf "ratio bridge/textbook: %.1fx\n", r/t }'
  if [ -z "${BENCH_DB_URL:-}" ]; then
    awk -v r="$(rate $OUT/bridge.txt)" -v d="$(rate $OUT/textbook-durable.txt)" 'BEGIN { if (d > 0) printf "ratio bridge/textbook with CHECKPOINT (like for like on H2): %.1fx\n", r/d }'
  fi
  echo "serial ack (1 connection): p50 $(pct $OUT/serial.txt 50%), p99 $(pct $OUT/serial.txt 99%)"
  echo "non-2xx: $(grep -h "Non-2xx" $OUT/bare.txt $OUT/bare-after.txt $OUT/bridge.txt $OUT/textbook*.txt | awk '{s+=$NF} END {print s+0}')"
  echo "call end -> Cekura 2xx of the calls ended during the bridge run (grace ${BRIDGE_CALL_GRACE:-5s}):"
  echo "  $(python3 bench/quantiles.py $OUT/metrics-before.txt $OUT/metrics-after.txt bridge_delivery_end_to_ack_seconds 0.5 0.99)"
  echo "stub Cekura: $(curl -s http://127.0.0.1:$STUB_PORT/stats)"
  # calls cut short by the end of each wrk run never got their call_ended: they close on the idle timeout
  echo "bridge: calls ended $(awk '/^bridge_events_received_total.*type="call_ended"/ {s+=$2} END {print s+0}' $OUT/metrics-after.txt)," \
       "delivered $(awk '/^bridge_deliveries_total.*outcome="delivered"/ {s+=$2} END {print s+0}' $OUT/metrics-after.txt)"
  echo "store on disk: $(store_size)"
} | tee "$OUT/summary.txt"
