#!/usr/bin/env python3
"""The models' contract, checked (part of `make lint`).

Each file of Sources/Warehouse/SQL/models writes one relation, the one it is named after
(`NN_<relation>.sql`), and opens with a header that says so:

    -- reads: a, b, c
    -- writes: <relation>

Fails when a model writes (creates, inserts into, updates, deletes from, analyzes, sets
indexes aside of) any other relation; when its `reads` line leaves out a relation it reads
or names one it does not; when it reads a relation that no earlier model writes and that
is not a table or view of the migrations or of the engine; or when two models write the
same relation.

The Citus layout's models (Sources/Warehouse/SQL/citus/models) are checked the way the
engine runs them: each file replaces the common model of its name, or adds a step
(`NNa_<relation>.sql`) at its place in the order.
"""
import glob
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SQL = os.path.join(ROOT, "Sources", "Warehouse", "SQL")
MODELS = os.path.join(SQL, "models")
CITUS_MODELS = os.path.join(SQL, "citus", "models")
# What the engine provides a run before the models (PostgresEngine.startRun, readLines).
ENGINE = {"run_context", "run_events", "new_events", "old_events"}

WRITES = [
    r"\bcreate\s+(?:or\s+replace\s+)?temp(?:orary)?\s+(?:table|view)\s+(\w+)",
    r"\binsert\s+into\s+(\w+)",
    r"^\s*update\s+(\w+)",
    r"\bdelete\s+from\s+(\w+)",
    r"\btruncate\s+(\w+)",
    r"\balter\s+table\s+(\w+)",
    r"\banalyze\s+(\w+)",
    r"\b(?:set_indexes_aside|build_indexes_set_aside|analyze_after_large_change)\('(\w+)'\)",
]
# a relation after from / join / using (not `is distinct from x`, not a function or column)
READS = r"(?<!distinct )\b(?:from|join|using)\s+(?:lateral\s+)?(?!lateral\b)(\w+)\b(?![.(])"


def strip_comments(sql):
    return re.sub(r"--[^\n]*", "", sql)


def migration_relations():
    names = set()
    for path in glob.glob(os.path.join(SQL, "migrations", "*.sql")):
        text = strip_comments(open(path, encoding="utf-8").read()).lower()
        names |= set(re.findall(r"\bcreate\s+(?:or\s+replace\s+)?(?:table|view)\s+(?:if\s+not\s+exists\s+)?(\w+)", text))
        names |= set(re.findall(r"\balter\s+table\s+\w+\s+rename\s+to\s+(\w+)", text))
    return names


def header_list(text, key):
    """The names after `-- key:` (continued on `--        ` lines), or None."""
    match = re.search(r"^-- " + key + r":(.*(?:\n--        .*)*)", text, re.M)
    if not match:
        return None
    return [n.strip() for n in match.group(1).replace("\n--", " ").split(",") if n.strip()]


def layout(*folders):
    """The model files the engine runs: those of each later folder replace the earlier
    folders' files of the same name; sorted by name."""
    files = {}
    for folder in folders:
        for path in glob.glob(os.path.join(folder, "*.sql")):
            files[os.path.basename(path)] = path
    return [files[name] for name in sorted(files)]


def check(paths):
    """The failures of the model files `paths`, in the order they run."""
    base = migration_relations() | ENGINE
    written_by = {}
    failures = []
    for path in paths:
        file = os.path.relpath(path, SQL)
        match = re.fullmatch(r"\d+[a-z]?_(\w+)\.sql", os.path.basename(path))
        if not match:
            failures.append(f"{file}: not named NN_<relation>.sql")
            continue
        relation = match.group(1)
        text = open(path, encoding="utf-8").read()
        sql = strip_comments(text).lower()
        declared_writes = header_list(text, "writes")
        declared_reads = header_list(text, "reads")
        if declared_writes != [relation]:
            failures.append(f"{file}: its header must say `-- writes: {relation}`")
        if declared_reads is None:
            failures.append(f"{file}: its header has no `-- reads:` line")
            declared_reads = []
        for pattern in WRITES:
            for name in re.findall(pattern, sql, re.M):
                if name != relation:
                    failures.append(f"{file}: writes {name}, but is named after {relation}")
        if relation in written_by:
            failures.append(f"{file}: {relation} is written by {written_by[relation]} too")
        ctes = set(re.findall(r"\b(\w+)\s+as\s+(?:not\s+)?(?:materialized\s+)?\(", sql))
        known = base | set(written_by)
        read = {n for n in re.findall(READS, sql) if n != relation and n not in ctes}
        unknown = sorted(n for n in read if n not in known)
        for name in unknown:
            failures.append(f"{file}: reads {name}, which no earlier model writes and no migration makes")
        missing = sorted((read & known) - set(declared_reads))
        if missing:
            failures.append(f"{file}: reads {', '.join(missing)} without saying so in `-- reads:`")
        extra = sorted(set(declared_reads) - read)
        if extra:
            failures.append(f"{file}: `-- reads:` names {', '.join(extra)}, which it does not read")
        written_by[relation] = file
    return failures, len(written_by)


# Slips the check must catch, each planted in a copy of the models: (file, search, replace).
SLIPS = [
    ("12_affected_lines.sql", "analyze affected_lines;", "analyze affected_lines;\nanalyze touched_windows;"),
    ("08a_elected_orders.sql", "-- reads: passing_events, ", "-- reads: "),
    ("08a_elected_orders.sql", "-- reads: ", "-- reads: product_versions, "),
    ("13_previous_sales.sql", "from affected_lines as a", "from affected_lines_typo as a"),
]


def self_test():
    """Fails unless every slip of SLIPS makes the check fail (a check that cannot fail is no
    check)."""
    import shutil
    import tempfile
    missed = []
    for file, search, replace in SLIPS:
        with tempfile.TemporaryDirectory() as copy:
            for path in glob.glob(os.path.join(MODELS, "*.sql")):
                shutil.copy(path, copy)
            target = os.path.join(copy, file)
            text = open(target, encoding="utf-8").read()
            if text.count(search) < 1:
                missed.append(f"{file}: the slip's text is gone ({search!r})")
                continue
            open(target, "w", encoding="utf-8").write(text.replace(search, replace, 1))
            if not check(layout(copy))[0]:
                missed.append(f"{file}: {search!r} -> {replace!r} passed the check")
    return missed


def main():
    failures, count = check(layout(MODELS))
    citus_failures, citus_count = check(layout(MODELS, CITUS_MODELS))
    failures += [f"citus: {f}" for f in citus_failures]
    failures += [f"self-test: {m}" for m in self_test()]
    for failure in failures:
        print("check-models: " + failure, file=sys.stderr)
    if failures:
        return 1
    print(f"models: ok ({count} models, {citus_count} in the Citus layout, each writes the "
          f"relation it is named after; {len(SLIPS)} planted slips caught)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
