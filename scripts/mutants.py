#!/usr/bin/env python3
"""Measures the suite's mutation score: applies each mutant of scripts/mutants.tsv (one
small, realistic slip in either engine, Swift or SQL), rebuilds, runs the tests that
should notice it, and reports which mutants the tests killed.

Run through `make mutants`, which makes a scratch worktree and a throwaway cluster; never
in the developer's own checkout (every mutant is reverted, but a crash would leave one).

Each mutant names a test filter: the suites that are meant to catch that slip, so a run
takes minutes per mutant instead of a full `make test`. MUTANTS_FULL=1 runs the whole
suite for every mutant instead (about 4 minutes each).
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TABLE = os.path.join(ROOT, "scripts", "mutants.tsv")


def load() -> list[dict[str, str]]:
    with open(TABLE, encoding="utf-8") as handle:
        rows = [
            row
            for row in csv.DictReader(
                (line for line in handle if not line.startswith("#")), delimiter="\t"
            )
        ]
    for row in rows:
        path = os.path.join(ROOT, row["file"])
        with open(path, encoding="utf-8") as source:
            text = source.read()
        search = row["search"].encode().decode("unicode_escape")
        if text.count(search) != 1:
            sys.exit(f"mutant {row['id']}: '{row['search']}' occurs {text.count(search)} times in {row['file']}")
    return rows


# A mutant that makes a test hang (a loop that never ends) is killed when its tests run
# past this, as CI's own time limit would kill the run.
TEST_TIMEOUT = int(os.environ.get("MUTANTS_TEST_TIMEOUT", "900"))


def run(command: list[str], log, timeout: int | None = None) -> int:
    # A session of its own, so a timeout ends the test runner's children too.
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        return process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        log.write(f"\nmutants: the tests ran past {timeout} s: killed as hanging\n")
        return -1


def main() -> int:
    rows = load()
    if len(sys.argv) > 1 and sys.argv[1] == "check":
        print(f"{len(rows)} mutants, every one applies exactly once")
        return 0
    only = os.environ.get("MUTANTS_ONLY")
    full = os.environ.get("MUTANTS_FULL") == "1"
    results = []
    started = time.time()
    for row in rows:
        if only and row["id"] not in only.split(","):
            continue
        path = os.path.join(ROOT, row["file"])
        with open(path, encoding="utf-8") as source:
            original = source.read()
        search = row["search"].encode().decode("unicode_escape")
        replace = row["replace"].encode().decode("unicode_escape")
        with open(path, "w", encoding="utf-8") as target:
            target.write(original.replace(search, replace, 1))
        began = time.time()
        log_path = os.path.join(ROOT, ".build", f"mutant-{row['id']}.log")
        with open(log_path, "w", encoding="utf-8") as log:
            try:
                if run(["swift", "build", "--build-tests"], log) != 0:
                    verdict = "killed (does not build)"
                else:
                    test = ["swift", "test", "--skip-build"]
                    if not full:
                        test += ["--filter", row["tests"]]
                    status = run(test, log, timeout=TEST_TIMEOUT)
                    verdict = ("SURVIVED" if status == 0
                               else "killed (hangs)" if status == -1 else "killed")
            finally:
                with open(path, "w", encoding="utf-8") as target:
                    target.write(original)
        seconds = time.time() - began
        results.append((row, verdict))
        print(f"{row['id']:>3} {verdict:<24} {seconds:6.0f} s  {row['what']}", flush=True)
    killed = sum(1 for _, verdict in results if verdict.startswith("killed"))
    total = len(results)
    print(f"\nmutation score: {killed} of {total} killed ({100 * killed / max(total, 1):.1f} %) "
          f"in {(time.time() - started) / 60:.0f} min")
    for row, verdict in results:
        if verdict == "SURVIVED":
            print(f"  survivor {row['id']}: {row['what']} ({row['file']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
