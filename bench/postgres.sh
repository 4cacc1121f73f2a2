#!/usr/bin/env bash
# A throwaway PostgreSQL for the benchmarks (Debian's package, installed when missing), on loopback:
#   eval "$(bench/postgres.sh start)"   # exports BENCH_DB_URL, BENCH_DB_USER
#   bench/postgres.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
PGPORT=${BENCH_PG_PORT:-55432}
DIR=$(pwd)/bench/out/pg
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
fi
BIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | tail -1)")
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$*"; else sh -c "$*"; fi; }
case "${1:-start}" in
  start)
    rm -rf "$DIR"; mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres "$DIR"
    as_postgres "$BIN/initdb -D $DIR/data -U postgres --auth=trust" >/dev/null
    as_postgres "$BIN/pg_ctl -D $DIR/data -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1' -l $DIR/log -w start" >/dev/null
    echo "export BENCH_DB_URL=jdbc:postgresql://127.0.0.1:$PGPORT/postgres BENCH_DB_USER=postgres"
    ;;
  stop)
    as_postgres "$BIN/pg_ctl -D $DIR/data -m fast stop" >/dev/null || true
    ;;
esac
