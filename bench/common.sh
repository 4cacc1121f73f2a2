# Sourced by the bench scripts: ports, output folder, wrk and the jar, and the store the bridge runs on.
#   BENCH_PORT (18080)  BENCH_STUB_PORT (18099)
#   BENCH_DB_URL/BENCH_DB_USER: another store (eval "$(bench/postgres.sh start)" starts a PostgreSQL);
#   otherwise an H2 file under bench/out/<name>, a plain URL like the default one (the bridge adds the H2 settings it
#   needs itself; BENCH_H2_OPTIONS is appended to the URL, e.g. ";RETENTION_TIME=45000")
cd "$(dirname "$0")/.."
# The bridge's JVM flags (the JVM's default collector, G1); e.g. JAVA_OPTS="-Xmx1g -XX:+UseParallelGC" (bench/RESULTS.md)
JAVA_OPTS=${JAVA_OPTS:--Xmx1g}
PORT=${BENCH_PORT:-18080}
STUB_PORT=${BENCH_STUB_PORT:-18099}
OUT=bench/out
mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -f target/cekura-call-bridge-exec.jar ] || ./mvnw -B -q package -DskipTests

# use_store <name>: a fresh store, exported as the bridge's datasource
use_store() {
  STORE_DIR="$OUT/$1"
  rm -rf "$STORE_DIR"
  export SPRING_DATASOURCE_URL="${BENCH_DB_URL:-jdbc:h2:file:./$STORE_DIR/bridge${BENCH_H2_OPTIONS:-}}"
  export SPRING_DATASOURCE_USERNAME="${BENCH_DB_USER:-sa}"
}

store_size() {
  if [ -n "${BENCH_DB_URL:-}" ]; then
    psql -h 127.0.0.1 -p "${BENCH_PG_PORT:-55432}" -U "${BENCH_DB_USER:-postgres}" -Atc "SELECT pg_size_pretty(pg_database_size('postgres'))"
  else du -sh "$STORE_DIR" | cut -f1; fi
}

# start_stub: the stub Cekura (and dial API) on STUB_PORT, in the background; its pid in STUB
start_stub() {
  # the JDK server closes connections idle for 30 s: the bridge's pooled connection then meets a reset
  # between bench phases, which it must count as a failed attempt and retry (a duplicate if the stub had read it);
  # without TCP_NODELAY each answer waits out a 40 ms delayed ACK
  java -XX:TieredStopAtLevel=1 -Xmx128m -Dsun.net.httpserver.nodelay=true \
    -Dsun.net.httpserver.idleInterval=3600 -Dsun.net.httpserver.maxIdleConnections=1000 \
    bench/StubCekura.java "$STUB_PORT" >/dev/null 2>&1 & STUB=$!
  until curl -sf "http://127.0.0.1:$STUB_PORT/stats" >/dev/null; do sleep 0.2; done
}
