#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for the store's tests: a temporary folder, a loopback port,
# trust authentication for the local test user. Prints the connection URL on stdout; stop it with
#   scripts/test-postgres.sh stop DIR
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$BIN" ]; then echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; fi
RUN=()
if [ "$(id -u)" = 0 ]; then RUN=(runuser -u postgres --); fi # the server refuses to run as root
if [ "${1:-}" = stop ]; then
  "${RUN[@]}" "$BIN/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null
  rm -rf "$2"
  exit 0
fi
# a free loopback port, unless one is named
PORT="${SOC_TEST_PGPORT:-$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
DIR=$(mktemp -d /tmp/soc-pg.XXXXXX)
if [ "$(id -u)" = 0 ]; then chown postgres "$DIR"; fi
"${RUN[@]}" "$BIN/initdb" -D "$DIR/data" -A trust -U soc --no-sync >/dev/null
"${RUN[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null
echo "$DIR postgres://soc@127.0.0.1:$PORT/postgres"
