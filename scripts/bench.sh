#!/usr/bin/env bash
# make bench: throughput of the release build, each figure next to a reference measured in
# the same run on the same bytes. Not a test: it prints numbers, it asserts nothing.
set -euo pipefail
bin=${1:-.build/release/chaoslake}
events=${BENCH_EVENTS:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

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
