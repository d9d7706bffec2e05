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

## make test: build everything and run every test (property + integration + scenarios).
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## make lint: fail when a file is not formatted as `swift format` wants it.
lint:
	$(SWIFT) format lint --strict --recursive $(FORMAT_PATHS)

format:
	$(SWIFT) format --in-place --recursive $(FORMAT_PATHS)

## make demo: generate a chaotic stream with its oracle prediction and show the counts.
demo: release
	@mkdir -p demo-out
	$(RELEASE_BIN) generate --seed 42 --events 100000 --profile heavy \
	  --out demo-out/events.jsonl --oracle-dir demo-out/oracle --stats
	@echo
	@echo "stream:  demo-out/events.jsonl ($$(wc -l < demo-out/events.jsonl) lines)"
	@echo "oracle:  demo-out/oracle/ (status, history, quality_daily, volatility, sales_daily, faults)"

## make bench: generator throughput in a release build (lines/s), next to `cat` of the same bytes.
bench: release
	@bash scripts/bench-generate.sh $(RELEASE_BIN)

clean:
	rm -rf .build demo-out
