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

## make demo: generate a chaotic stream with the oracle's prediction; run the pipeline in
## memory and verify it; start the local PostgreSQL cluster and ingest the stream into raw.
demo: release
	@mkdir -p demo-out
	$(RELEASE_BIN) generate --seed 42 --events 100000 --profile heavy \
	  --out demo-out/events.jsonl --oracle-dir demo-out/oracle --stats
	$(RELEASE_BIN) run --engine memory --input demo-out/events.jsonl --out demo-out/memory
	@for f in status history quality_daily volatility sales_daily; do \
	    cmp -s demo-out/oracle/$$f.csv demo-out/memory/$$f.csv || { echo "MISMATCH in $$f.csv"; exit 1; }; \
	  done && echo "memory engine output equals the oracle's prediction, all five files"
	$(RELEASE_BIN) verify --seed 42 --events 100000 --profile heavy --batches 10
	$(RELEASE_BIN) db start
	$(RELEASE_BIN) ingest demo-out/events.jsonl
	$(RELEASE_BIN) ingest demo-out/events.jsonl
	@psql "$$($(RELEASE_BIN) db url)" -c "select count(*) as lines, count(*) filter (where is_json) as json_objects, count(distinct batch_id) as batches from chaoslake.raw_events"
	@echo
	@echo "stream:  demo-out/events.jsonl ($$(wc -l < demo-out/events.jsonl) lines)"
	@echo "oracle:  demo-out/oracle/   pipeline: demo-out/memory/"
	@echo "raw:     $$($(RELEASE_BIN) db url)  (chaoslake db stop when done)"

## make bench: release-build throughput, each figure next to a reference from the same run.
bench: release
	@bash scripts/bench.sh $(RELEASE_BIN)

clean:
	rm -rf .build demo-out
