#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster (fsync off) that is always stopped
# and deleted afterwards: on success, on failure and on Ctrl-C. With CHAOSLAKE_TEST_WORKERS=N
# the cluster is a Citus coordinator with N workers.
set -euo pipefail
bin=${CHAOSLAKE_BIN:-.build/debug/chaoslake}
CHAOSLAKE_HOME=$(mktemp -d /tmp/chaoslake-test.XXXXXX)
export CHAOSLAKE_HOME
cleanup() { "$bin" db destroy >/dev/null 2>&1 || rm -rf "$CHAOSLAKE_HOME"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
"$bin" db start --no-fsync --workers "${CHAOSLAKE_TEST_WORKERS:-0}" >/dev/null
# Tests and the commands they run reach the cluster through the standard libpq variables.
export PGHOST=$CHAOSLAKE_HOME PGUSER=chaoslake PGDATABASE=chaoslake
# Configured as users' servers are: far-from-UTC TimeZone, day-first DateStyle, an ICU
# collation, our schema off the search_path (scripts/users-server-settings.sql); on Citus,
# every node alike, as a user's cluster is.
for ((node = 0; node <= ${CHAOSLAKE_TEST_WORKERS:-0}; node++)); do
  psql -X -q -v ON_ERROR_STOP=1 -p $((5432 + node)) -d postgres \
    -f scripts/users-server-settings.sql >/dev/null
done
unset DATABASE_URL
echo "test cluster: $PGHOST"
"$@"
