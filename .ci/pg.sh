#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on 127.0.0.1 (installing Debian's package if needed)
# and print the URL the test suite should use. Usage: eval "$(.ci/pg.sh start)" / .ci/pg.sh stop
set -euo pipefail
PGPORT=${PGPORT:-55432}
PGROOT=${PGROOT:-/tmp/whosaid-pg}
cmd=${1:-start}

pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ "$cmd" = stop ]; then
  bin=$(pgbin)
  [ -n "$bin" ] && [ -d "$PGROOT/data" ] && su postgres -c "$bin/pg_ctl -D $PGROOT/data -m fast stop" >/dev/null 2>&1 || true
  exit 0
fi

if [ -z "$(pgbin)" ] || [ ! -x "$(pgbin)/initdb" ]; then
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1
fi
bin=$(pgbin)
if ! su postgres -c "$bin/pg_ctl -D $PGROOT/data status" >/dev/null 2>&1; then
  rm -rf "$PGROOT"
  mkdir -p "$PGROOT"
  chown postgres "$PGROOT"
  # trust on loopback only: a throwaway CI server with no data worth protecting
  su postgres -c "$bin/initdb -D $PGROOT/data -A trust -U postgres -E UTF8" >/dev/null
  su postgres -c "$bin/pg_ctl -D $PGROOT/data -l $PGROOT/log -w -o '-p $PGPORT -k $PGROOT -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off' start" >/dev/null
fi
echo "export TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:$PGPORT/postgres"
