"""chaoslake's production loop, on a schedule: ingest the interval's file, transform, test,
write the report.

Each step is the chaoslake command line; its exit code decides what Airflow does:

- 0: success;
- 3 (database unavailable): the task fails and is retried;
- 1 (a data test of severity error failed) and 2 (bad input, e.g. a missing or changed
  file, or a raw line a run cannot read): the task fails at once, without retries, since
  trying again cannot help.

The database: the Airflow connection `chaoslake_db` when it exists, else `DATABASE_URL`
from the environment, else chaoslake's own throwaway local cluster.

Settings (environment): CHAOSLAKE (the executable, default `chaoslake` on PATH),
CHAOSLAKE_INBOX (folder of `events-YYYY-MM-DD.jsonl`, one file per daily interval),
CHAOSLAKE_REPORTS (where `report-YYYY-MM-DD.html` is written).
"""

from __future__ import annotations

import os
import subprocess
from datetime import timedelta

import pendulum
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.sdk import DAG, task

RETRYABLE = {3}


def _database_url() -> str | None:
    """The `chaoslake_db` connection's URI, else DATABASE_URL, else None (local cluster)."""
    try:
        from airflow.sdk import BaseHook

        return BaseHook.get_connection("chaoslake_db").get_uri()
    except Exception:  # no such connection: fall back to the environment
        return os.environ.get("DATABASE_URL")


def chaoslake(*arguments: str) -> str:
    """Runs one chaoslake command; maps its exit code to Airflow's retry semantics."""
    executable = os.environ.get("CHAOSLAKE", "chaoslake")
    environment = dict(os.environ)
    url = _database_url()
    if url:
        environment["DATABASE_URL"] = url
    result = subprocess.run(
        [executable, *arguments], env=environment, capture_output=True, text=True, check=False
    )
    print(result.stdout, end="")
    print(result.stderr, end="")
    if result.returncode == 0:
        return result.stdout
    message = f"chaoslake {arguments[0]} exited with {result.returncode}: {result.stderr.strip()}"
    if result.returncode in RETRYABLE:
        raise AirflowException(message)  # retried
    raise AirflowFailException(message)  # not retried


with DAG(
    dag_id="chaoslake_pipeline",
    schedule="@daily",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    default_args={"retries": 3, "retry_delay": timedelta(minutes=2)},
    tags=["chaoslake"],
) as dag:

    @task
    def ingest(ds: str | None = None) -> str:
        inbox = os.environ.get("CHAOSLAKE_INBOX", "inbox")
        return chaoslake("ingest", os.path.join(inbox, f"events-{ds}.jsonl"))

    @task
    def transform() -> str:
        return chaoslake("run")

    @task
    def data_tests() -> str:
        return chaoslake("test")

    @task
    def report(ds: str | None = None) -> str:
        folder = os.environ.get("CHAOSLAKE_REPORTS", "reports")
        os.makedirs(folder, exist_ok=True)
        return chaoslake("report", "--out", os.path.join(folder, f"report-{ds}.html"))

    ingest() >> transform() >> data_tests() >> report()
