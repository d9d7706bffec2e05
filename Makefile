# chaoslake — every entry point a user or CI needs.
SWIFT ?= swift
BIN := .build/debug/chaoslake
RELEASE_BIN := .build/release/chaoslake
FORMAT_PATHS := Package.swift Sources Tests

.PHONY: all build release test lint format demo bench clean

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

## make lint: fail when a file is not formatted as `swift format` wants it.
lint:
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)

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
bench: release
	@bash scripts/bench.sh $(RELEASE_BIN)

clean:
	rm -rf .build demo-out
