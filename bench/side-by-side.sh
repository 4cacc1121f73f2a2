#!/usr/bin/env bash
# A/B of two builds under the same VM conditions: two bridges side by side, each with its own stub Cekura, H2 store
# and wrk (16 connections each), loaded at once. On this VM the speed drifts up to 2x between runs, so two figures
# from two runs do not compare; two bridges sharing the same minutes do. Both run slower than one alone.
#   bench/side-by-side.sh OLD.jar NEW.jar     BENCH_WARMUP (200s)  BENCH_SLICES (3)  A_OPTS/B_OPTS (JVM flags after JAVA_OPTS)
#   A_H2_OPTIONS/B_H2_OPTIONS (appended to each H2 URL, e.g. ";RETENTION_TIME=45000")
# Each H2 URL names the settings the bridge needs: builds since the write-ahead log's retirement add them
# themselves (and accept them spelled out), older builds need them in the URL. Defaults differ between builds
# (e.g. the old build sends up to 25 calls per POST, this one one); to compare like with like pass A_OPTS=-Dcekura.batch-max=1.
set -euo pipefail
A_JAR=$(realpath "${1:?old jar}"); B_JAR=$(realpath "${2:?new jar}")   # before common.sh moves to the repo root
source "$(dirname "$0")/common.sh"
: > "$OUT/side-by-side.txt"
WARMUP=${BENCH_WARMUP:-200s}
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT

# start_side <name> <jar> <port> <stub port> <jvm opts> <h2 options>
start_side() {
  rm -rf "$OUT/side-$1"
  java -XX:TieredStopAtLevel=1 -Xmx128m -Dsun.net.httpserver.nodelay=true \
    -Dsun.net.httpserver.idleInterval=3600 -Dsun.net.httpserver.maxIdleConnections=1000 \
    bench/StubCekura.java "$4" >/dev/null 2>&1 & PIDS+=($!)
  SERVER_PORT=$3 CEKURA_WEBHOOK_URL="http://127.0.0.1:$4/hook" CEKURA_API_KEY=bench CEKURA_AGENT_ID=1 \
    SPRING_DATASOURCE_URL="jdbc:h2:file:./$OUT/side-$1/bridge;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=10000;RETENTION_TIME=1000$6" \
    SPRING_DATASOURCE_USERNAME=sa BRIDGE_CALL_GRACE=5s LOGGING_LEVEL_CALLBRIDGE=WARN \
    java $JAVA_OPTS $5 -jar "$2" > "$OUT/side-$1.log" 2>&1 & PIDS+=($!)
}
start_side A "$A_JAR" $((PORT + 100)) $((STUB_PORT + 100)) "${A_OPTS:-}" "${A_H2_OPTIONS:-}"
start_side B "$B_JAR" $((PORT + 200)) $((STUB_PORT + 200)) "${B_OPTS:-}" "${B_H2_OPTIONS:-}"
for port in $((PORT + 100)) $((PORT + 200)); do
  until curl -sf "http://127.0.0.1:$port/actuator/health" >/dev/null; do sleep 0.5; done
done

load() { # <run> <duration> <extra wrk args...>: both bridges at once
  local run=$1 duration=$2; shift 2
  BENCH_RUN=$run wrk -t1 -c16 -d"$duration" "$@" -s bench/salpre-calls.lua "http://127.0.0.1:$((PORT + 100))" > "$OUT/side-A.txt" & local a=$!
  BENCH_RUN=$run wrk -t1 -c16 -d"$duration" "$@" -s bench/salpre-calls.lua "http://127.0.0.1:$((PORT + 200))" > "$OUT/side-B.txt"
  wait $a
}
echo "== warm-up: both bridges at once, $WARMUP"
load 1 "$WARMUP"
sleep 8
rate() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
for slice in $(seq 1 "${BENCH_SLICES:-3}"); do
  load $((slice + 1)) 20s --latency
  echo "slice $slice: A $(rate $OUT/side-A.txt) req/s (p99 $(p99 $OUT/side-A.txt)) | B $(rate $OUT/side-B.txt) req/s (p99 $(p99 $OUT/side-B.txt))" \
    "| non-2xx $(grep -h Non-2xx $OUT/side-A.txt $OUT/side-B.txt | awk '{s+=$NF} END {print s+0}')" | tee -a "$OUT/side-by-side.txt"
  sleep 8
done
