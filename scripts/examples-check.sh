#!/usr/bin/env bash
# Exercises the examples with real dbt and Airflow (installed by `make examples-tools`):
# - the dbt example, verified as a target, fails at the versions level and shrinks to a
#   scenario of at most 5 lines that replays as failing;
# - `target init --dbt` writes a target file from the example's manifest that maps every
#   column and, verified as written, fails at the versions level too;
# - chaoslake's own engine, driven through the same target mechanism, passes at the exact
#   level (the adapter is not what fails);
# - the Airflow DAG runs one daily interval end to end (the export equals the oracle), and
#   a missing input fails at once, without retries.
# Everything runs against a throwaway cluster, always removed.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(pwd)/${CHAOSLAKE_BIN:-.build/debug/chaoslake}
venv_dbt=$(pwd)/.build/venv-dbt
venv_airflow=$(pwd)/.build/venv-airflow
work=$(mktemp -d /tmp/chaoslake-examples.XXXXXX)
CHAOSLAKE_HOME=$(mktemp -d /tmp/chaoslake-examples-cluster.XXXXXX)
export CHAOSLAKE_HOME
cleanup() { "$bin" db destroy >/dev/null 2>&1 || true; rm -rf "$work" "$CHAOSLAKE_HOME"; }
trap cleanup EXIT
unset DATABASE_URL PGHOST PGPORT PGUSER PGDATABASE
"$bin" db start --no-fsync >/dev/null
fail() { echo "examples-check: FAIL: $*" >&2; exit 1; }
started=$(date +%s)

echo "== dbt example as a target: must fail at the versions level and shrink to <= 5 lines"
export DBT=$venv_dbt/bin/dbt
set +e
"$bin" verify --target examples/dbt-snapshot/target.yaml --seed 1 --events 200 \
  --save "$work/failures" --shrink-seconds 600 | tee "$work/dbt.log"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 1 ] || fail "verify --target dbt exited $status, expected 1 (a mismatch)"
grep -q "FAIL versions:" "$work/dbt.log" || fail "the dbt example did not fail at the versions level"
scenario="$work/failures/target-dbt-snapshot-check-strategy-default-seed1.yaml"
[ -f "$scenario" ] || fail "no minimized scenario was written"
kept=$(grep -c '^  - ' "$scenario" || true)
if [ "$kept" -lt 1 ] || [ "$kept" -gt 5 ]; then
  fail "the scenario has $kept lines, expected 1 to 5"
fi
set +e
"$bin" replay --target examples/dbt-snapshot/target.yaml --compare versions "$scenario"
status=$?
set -e
[ "$status" -eq 1 ] || fail "the minimized scenario does not replay as failing (exit $status)"

echo "== target init --dbt: a target file from the example's manifest, verified as written"
"$bin" target init --dbt examples/dbt-snapshot --out "$work/generated-target.yaml" \
  2>"$work/init.err" || { cat "$work/init.err"; fail "target init --dbt failed"; }
[ ! -s "$work/init.err" ] || { cat "$work/init.err"; fail "target init left columns unmapped"; }
set +e
"$bin" verify --target "$work/generated-target.yaml" --seed 1 --events 200 \
  --save "$work/init-failures" --shrink-seconds 0 | tee "$work/init-verify.log"
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 1 ] || fail "verify with the generated target exited $status, expected 1"
grep -q "FAIL versions:" "$work/init-verify.log" \
  || fail "the generated target did not hold the snapshot to the versions level"

echo "== target init --dbt on a second project: other names, timestamp strategy, deletions"
"$bin" target init --dbt examples/dbt-timestamp --out "$work/timestamp-target.yaml" \
  2>"$work/init2.err" || { cat "$work/init2.err"; fail "target init on dbt-timestamp failed"; }
[ ! -s "$work/init2.err" ] || { cat "$work/init2.err"; fail "dbt-timestamp: columns unmapped"; }
grep -q "select sku as product_id, unit_price as price, product_category as category" \
  "$work/timestamp-target.yaml" || fail "dbt-timestamp: the history query maps the wrong columns"
grep -q "dbt_is_deleted" "$work/timestamp-target.yaml" \
  || fail "dbt-timestamp: the snapshot's deletions are not read"

echo "== chaoslake's own engine as a target: must pass at the exact level"
"$bin" verify --target examples/chaoslake-engine/target.yaml --seed 3 --events 3000 \
  --profile heavy --batches 3 || fail "the own engine does not pass as a target"

echo "== Airflow DAG: one interval end to end, then a missing input fails without retries"
export AIRFLOW_HOME=$work/airflow AIRFLOW__CORE__LOAD_EXAMPLES=False
AIRFLOW__CORE__DAGS_FOLDER=$(pwd)/examples/airflow/dags
export AIRFLOW__CORE__DAGS_FOLDER
export CHAOSLAKE=$bin CHAOSLAKE_INBOX=$work/inbox CHAOSLAKE_REPORTS=$work/reports
DATABASE_URL=$("$bin" db url)
export DATABASE_URL
mkdir -p "$CHAOSLAKE_INBOX"
"$venv_airflow/bin/airflow" db migrate >"$work/airflow-migrate.log" 2>&1 \
  || { tail -20 "$work/airflow-migrate.log"; fail "airflow db migrate"; }
# A database of its own for the DAG, so the target runs above leave nothing in it.
psql "$DATABASE_URL" -qc "create database airflow_example" >/dev/null
DATABASE_URL=${DATABASE_URL/\/chaoslake\?/\/airflow_example?}
"$bin" generate --seed 5 --events 3000 --out "$CHAOSLAKE_INBOX/events-2026-01-02.jsonl" \
  --oracle-dir "$work/oracle"
"$venv_airflow/bin/airflow" dags test chaoslake_pipeline 2026-01-02 >"$work/dag.log" 2>&1 \
  || { tail -30 "$work/dag.log"; fail "the DAG run failed"; }
[ -f "$CHAOSLAKE_REPORTS/report-2026-01-02.html" ] || fail "the DAG wrote no report"
"$bin" export --out "$work/export" >/dev/null
diff -r -x faults.csv -x manifest.yaml "$work/oracle" "$work/export" \
  || fail "after the DAG run, the export differs from the oracle"
missing_started=$(date +%s)
if "$venv_airflow/bin/airflow" dags test chaoslake_pipeline 2026-01-03 >"$work/dag-missing.log" 2>&1; then
  fail "the DAG succeeded without an input file"
fi
grep -q "exited with 2" "$work/dag-missing.log" || fail "the missing input was not reported as exit 2"
if grep -q "up_for_retry" "$work/dag-missing.log"; then fail "a bad input was retried"; fi
[ $(($(date +%s) - missing_started)) -lt 60 ] || fail "the failing run took a retry delay"

echo "examples-check: passed in $(($(date +%s) - started)) s"
