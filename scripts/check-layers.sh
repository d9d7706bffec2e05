#!/usr/bin/env bash
# Fails when a target reaches a layer it must not: the oracle and the pipeline never see
# each other, and the pure core (and the in-memory property tests) never reach libpq.
# Reads the target graph SwiftPM resolves from Package.swift, transitively.
set -euo pipefail
cd "$(dirname "$0")/.."
swift package describe --type json 2>/dev/null | python3 -c '
import json, sys

targets = {t["name"]: t.get("target_dependencies") or [] for t in json.load(sys.stdin)["targets"]}

def reach(name, seen=None):
    seen = set() if seen is None else seen
    for dep in targets.get(name, []):
        if dep not in seen:
            seen.add(dep)
            reach(dep, seen)
    return seen

forbidden = {
    "ChaosOracle": {"Pipeline", "Warehouse", "PostgresClient", "CLibPQ"},
    "Pipeline": {"ChaosOracle", "Warehouse", "PostgresClient", "CLibPQ", "Report"},

    "Harness": {"Warehouse", "PostgresClient", "CLibPQ", "Targets"},
    "Warehouse": {"ChaosOracle", "Harness", "Targets"},
    "Report": {"Pipeline", "ChaosOracle", "PostgresClient", "CLibPQ"},
    "PropertyTests": {"Warehouse", "PostgresClient", "CLibPQ"},
}
failed = False
for name, banned in sorted(forbidden.items()):
    if name not in targets:
        print(f"check-layers: target {name} is missing", file=sys.stderr)
        failed = True
        continue
    bad = sorted(reach(name) & banned)
    if bad:
        print("check-layers: " + name + " reaches " + ", ".join(bad), file=sys.stderr)
        failed = True
sys.exit(1 if failed else 0)
'
echo "layers: ok"
