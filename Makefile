# chaoslake — every entry point a user or CI needs.
SWIFT ?= swift
BIN := .build/debug/chaoslake
RELEASE_BIN := .build/release/chaoslake
FORMAT_PATHS := Package.swift Sources Tests

.PHONY: all build release test test-citus citus lint lint-tools format demo bench bench-citus clean examples-tools examples-check mutants

all: build

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product chaoslake

## make test: build everything and run every test (property + integration + scenarios)
## against a throwaway PostgreSQL cluster that is always stopped afterwards.
test:
	$(SWIFT) build --build-tests
	bash scripts/with-test-cluster.sh $(SWIFT) test --skip-build

## make citus: build and install Citus (the vendored ../shared/vendor tarball, with the
## patches in scripts/citus/) into the PostgreSQL pg_config names; nothing when installed.
## As root it installs the Debian packages the build needs: run it before any cluster starts.
citus:
	bash scripts/citus/build.sh

## make test-citus: the Citus suite (needs `make citus`): the local cluster's commands, the
## warehouse's faults on a coordinator with workers (CHAOSLAKE_TEST_CITUS), then the whole
## integration suite against a coordinator with two workers (CHAOSLAKE_TEST_WORKERS).
test-citus: citus
	$(SWIFT) build --build-tests
	CHAOSLAKE_TEST_CITUS=1 $(SWIFT) test --skip-build --filter 'CitusClusterTests|CitusWarehouseTests'
	CHAOSLAKE_TEST_WORKERS=2 bash scripts/with-test-cluster.sh $(SWIFT) test --skip-build --filter IntegrationTests

## make lint: swift format (Swift), shellcheck (scripts, CI), sqlfluff (SQL, postgres dialect,
## configured in .sqlfluff), the layer check (which target may reach which), the models' check
## (each writes the one relation it is named after, reads what its header says) and that every
## mutant of scripts/mutants.tsv still applies exactly once. sqlfluff is
## installed, pinned, into .build/lint-venv on first use; shellcheck comes from the system
## (Debian: apt-get install shellcheck; .ci/run installs it).
LINT_VENV := .build/lint-venv
SQLFLUFF := $(LINT_VENV)/bin/sqlfluff
SQLFLUFF_VERSION := 4.5.0
SHELL_SCRIPTS := scripts/*.sh scripts/citus/*.sh .ci/run

lint: $(SQLFLUFF)
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)
	@command -v shellcheck >/dev/null || { echo "make lint: shellcheck is missing (Debian: apt-get install shellcheck)" >&2; exit 1; }
	shellcheck $(SHELL_SCRIPTS)
	$(SQLFLUFF) lint --processes 2 Sources/Warehouse/SQL
	bash scripts/check-layers.sh
	python3 scripts/check-models.py
	python3 scripts/mutants.py check

lint-tools: $(SQLFLUFF)

$(SQLFLUFF):
	python3 -m venv $(LINT_VENV)
	$(LINT_VENV)/bin/pip install --quiet --disable-pip-version-check sqlfluff==$(SQLFLUFF_VERSION)

format:
	$(SWIFT) format --in-place --recursive $(FORMAT_PATHS)

## make demo: the whole loop on the local PostgreSQL cluster: generate a chaotic stream
## with the oracle's prediction, ingest it, run the models and data tests, export, compare
## with the oracle, and answer one point-in-time question. Also checks the memory engine.
## It uses a cluster of its own (CHAOSLAKE_HOME=/tmp/chaoslake-demo-<uid>), fresh each time.
DEMO := demo-out
demo: export CHAOSLAKE_HOME = /tmp/chaoslake-demo-$(shell id -u)
demo: release
	@mkdir -p $(DEMO)
	$(RELEASE_BIN) generate --seed 42 --events 100000 --profile heavy \
	  --out $(DEMO)/events.jsonl --oracle-dir $(DEMO)/oracle
	@$(RELEASE_BIN) db destroy >/dev/null
	$(RELEASE_BIN) db start
	$(RELEASE_BIN) ingest $(DEMO)/events.jsonl
	$(RELEASE_BIN) run
	$(RELEASE_BIN) export --out $(DEMO)/postgres
	$(RELEASE_BIN) run --engine memory --input $(DEMO)/events.jsonl --out $(DEMO)/memory
	$(RELEASE_BIN) report --out $(DEMO)/report.html --oracle-dir $(DEMO)/oracle
	@bash scripts/demo-summary.sh $(RELEASE_BIN) $(DEMO)
	@echo "report: $$(pwd)/$(DEMO)/report.html"

## make bench: release-build throughput, each figure next to a reference from the same run.
bench: release examples-tools
	@python3 scripts/bench.py $(RELEASE_BIN) .build/venv-dbt/bin/dbt

## make bench-citus: the 1M ingest and runs on a local Citus coordinator with two workers
## beside the single node, model by model (figure 8; needs `make citus`).
bench-citus: release citus
	@BENCH_ONLY=citus python3 scripts/bench.py $(RELEASE_BIN)

## make examples-check: the dbt and Airflow examples against real dbt-core and Airflow, which
## `make examples-tools` installs, pinned, into virtual environments under .build/ (never
## system-wide, never part of `make test`).
DBT_VERSION := 1.11.16
DBT_POSTGRES_VERSION := 1.11.0
AIRFLOW_VERSION := 3.3.2

examples-tools: .build/venv-dbt/bin/dbt .build/venv-airflow/bin/airflow

.build/venv-dbt/bin/dbt:
	python3 -m venv .build/venv-dbt
	.build/venv-dbt/bin/pip install --quiet --disable-pip-version-check \
	  dbt-core==$(DBT_VERSION) dbt-postgres==$(DBT_POSTGRES_VERSION)

.build/venv-airflow/bin/airflow:
	python3 -m venv .build/venv-airflow
	.build/venv-airflow/bin/pip install --quiet --disable-pip-version-check \
	  apache-airflow==$(AIRFLOW_VERSION)

examples-check: examples-tools
	$(SWIFT) build
	bash scripts/examples-check.sh

## make mutants: the suite's mutation score on the mutants of scripts/mutants.tsv (both
## engines, Swift and SQL), in a scratch worktree; not part of CI (it takes about an hour).
mutants:
	bash scripts/mutants.sh

clean:
	rm -rf .build demo-out
