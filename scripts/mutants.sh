#!/usr/bin/env bash
# make mutants: the suite's mutation score. Copies HEAD into a scratch worktree, builds it,
# starts a throwaway cluster configured as users' servers are, and lets scripts/mutants.py
# apply each mutant of scripts/mutants.tsv in turn (rebuild, run the tests meant to catch
# it, revert). Prints the kill rate and the survivors. Not part of CI: it takes about an
# hour on 2 cores (MUTANTS_ONLY=1,5,9 runs a few; MUTANTS_FULL=1 runs all of `make test`
# for each, several hours).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d /tmp/chaoslake-mutants.XXXXXX)
cleanup() {
  git worktree remove --force "$scratch/tree" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
git worktree add --detach "$scratch/tree" HEAD >/dev/null
cd "$scratch/tree"
echo "mutants: building a scratch copy of HEAD in $scratch/tree"
swift build --build-tests >"$scratch/build.log" 2>&1 || { tail -30 "$scratch/build.log"; exit 1; }
python3 scripts/mutants.py check
bash scripts/with-test-cluster.sh python3 scripts/mutants.py run
