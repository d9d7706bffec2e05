#!/usr/bin/env bash
# make bench: throughput of the release build, each figure next to a reference measured in
# the same run on the same bytes. Not a test: it prints numbers, it asserts nothing.
set -euo pipefail
bin=${1:-.build/release/chaoslake}
events=${BENCH_EVENTS:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v psql >/dev/null || { echo "bench needs psql (Debian: postgresql-client)" >&2; exit 1; }

seconds() { python3 -c 'import sys; print(f"{float(sys.argv[1]):.3f}")' "$1"; }
now() { date +%s.%N; }

echo "== chaoslake bench: $events events, profile default, release build"
echo "   machine: $(nproc) cores, $(uname -m)"

start=$(now)
"$bin" generate --seed 1 --events "$events" --profile default --out "$work/events.jsonl"
generate=$(python3 -c "print($(now) - $start)")
bytes=$(wc -c < "$work/events.jsonl")
echo "generate: $(seconds "$generate") s, $(python3 -c "print(f'{$events / $generate:,.0f}')") lines/s, $((bytes / 1024 / 1024)) MiB"

# Reference: what the stack chaoslake replaces does per line at the very least — Python's
# json.loads of every line (no rules, no history).
start=$(now)
python3 -c '
import json, sys
n = 0
with open(sys.argv[1], "rb") as f:
    for line in f:
        try:
            json.loads(line)
        except Exception:
            pass
        n += 1
' "$work/events.jsonl"
python_parse=$(python3 -c "print($(now) - $start)")

timing=$("$bin" run --engine memory --input "$work/events.jsonl" --out "$work/out" --timing 2>&1 | grep '^timing')
pipeline=$(sed -E 's/.*pipeline_seconds=([0-9.e-]+).*/\1/' <<<"$timing")
export_seconds=$(sed -E 's/.*export_seconds=([0-9.e-]+).*/\1/' <<<"$timing")
read_seconds=$(sed -E 's/.*read_seconds=([0-9.e-]+).*/\1/' <<<"$timing")

python3 - "$events" "$pipeline" "$export_seconds" "$read_seconds" "$python_parse" <<'PY'
import sys
events, pipeline, export, read, python = int(sys.argv[1]), *map(float, sys.argv[2:])
print(f"memory engine (parse, classify, dedup, SCD2, marts): {pipeline:.3f} s = {events / pipeline:,.0f} events/s on one core (goal 1,000,000)")
print(f"  read file {read:.3f} s, export five files {export:.3f} s, end to end {events / (read + pipeline + export):,.0f} events/s")
print(f"reference, python3 json.loads per line (parse only): {python:.3f} s = {events / python:,.0f} lines/s")
print(f"ratio memory engine / python parse-only: {python / pipeline:.2f}x")
PY

# Ingest into PostgreSQL: chaoslake ingest against psql \copy of the very same rows (binary
# COPY, exported from the first load) into the same raw table in a second database of the
# same throwaway cluster, fsync off for both.
CHAOSLAKE_HOME=$(mktemp -d /tmp/chaoslake-bench.XXXXXX)
export CHAOSLAKE_HOME
cleanup_cluster() { "$bin" db destroy >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup_cluster EXIT
"$bin" db start --no-fsync >/dev/null
export PGHOST=$CHAOSLAKE_HOME PGUSER=chaoslake
unset DATABASE_URL
# Each side runs twice, alternating, and the faster run counts: the first load into a new
# cluster also pays for creating WAL segments.
ingest=999999
reference=999999
for round in 1 2; do
  for db in "ingest_$round" "reference_$round"; do psql -q -d chaoslake -c "create database $db"; done
  start=$(now)
  PGDATABASE="ingest_$round" "$bin" ingest "$work/events.jsonl" >/dev/null
  ingest=$(python3 -c "print(min($ingest, $(now) - $start))")
  if [ "$round" = 1 ]; then
    psql -q -d ingest_1 -c "\copy (select seq, raw_line, is_json, event_id, event_type, event_timestamp, source, payload, tokens, batch_id from chaoslake.raw_events order by seq) to '$work/raw.bin' with (format binary)"
  fi
  PGDATABASE="reference_$round" "$bin" ingest /dev/null >/dev/null  # creates the same schema
  start=$(now)
  psql -q -d "reference_$round" -c "\copy chaoslake.raw_events (seq, raw_line, is_json, event_id, event_type, event_timestamp, source, payload, tokens, batch_id) from '$work/raw.bin' with (format binary)"
  reference=$(python3 -c "print(min($reference, $(now) - $start))")
  for db in "ingest_$round" "reference_$round"; do psql -q -d chaoslake -c "drop database $db"; done
done

python3 - "$events" "$ingest" "$reference" <<'PY'
import sys
events, ingest, reference = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"chaoslake ingest (validate, extract, binary COPY, batches recorded): {ingest:.3f} s = {events / ingest:,.0f} lines/s")
print(f"reference, psql \\copy of the same rows into the same raw table: {reference:.3f} s = {events / reference:,.0f} lines/s")
print(f"ratio ingest / psql \\copy throughput: {reference / ingest:.2f} (goal >= 0.9)")
PY

# The PostgreSQL pipeline on the same 1M lines: ingest 99 % and run; then ingest the last
# 1 % and run incrementally; then a full refresh over everything. Then price_at latency.
psql -q -d chaoslake -c "create database pipeline"
export PGDATABASE=pipeline
total=$(wc -l < "$work/events.jsonl")
head -n $((total * 99 / 100)) "$work/events.jsonl" > "$work/first.jsonl"
tail -n +$((total * 99 / 100 + 1)) "$work/events.jsonl" > "$work/last.jsonl"
"$bin" ingest "$work/first.jsonl" >/dev/null
start=$(now); "$bin" run >/dev/null; first_run=$(python3 -c "print($(now) - $start)")
"$bin" ingest "$work/last.jsonl" >/dev/null
start=$(now); "$bin" run >/dev/null; incremental=$(python3 -c "print($(now) - $start)")
start=$(now); "$bin" run --full-refresh >/dev/null; full=$(python3 -c "print($(now) - $start)")

pgbench_bin=$(printf '%s\n' /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -n 1)
cat > "$work/price_at_script.sql" <<'SQL'
\set product random(1, 50)
\set at random(1767225600, 1769817600)
select * from chaoslake.price_at(:product, to_timestamp(:at));
SQL
(cd "$work" && "$pgbench_bin" -n -f price_at_script.sql -t 5000 -c 1 -l --log-prefix=latency pipeline >/dev/null 2>&1)
latencies=$(cat "$work"/latency.* | awk '{print $3}')

python3 - "$total" "$first_run" "$incremental" "$full" <<PY
import sys
total, first, incremental, full = int(sys.argv[1]), *map(float, sys.argv[2:])
latencies = sorted(int(x) for x in """$latencies""".split())
p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1000
print(f"postgres run over 99 % of the lines: {first:.2f} s = {total * 0.99 / first:,.0f} events/s")
print(f"postgres full refresh over all {total:,} lines: {full:.2f} s = {total / full:,.0f} events/s")
print(f"incremental run after 1 % more lines: {incremental:.2f} s = {100 * incremental / full:.1f} % of the full refresh (goal <= 5 %)")
print(f"price_at over {len(latencies)} calls (pgbench, one client): p50 {p(0.5):.3f} ms, p99 {p(0.99):.3f} ms (goal p99 < 1 ms)")
PY
