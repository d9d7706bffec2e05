-- A failing data test names what failed: up to five of its failing rows, each as one JSON
-- object per line, so `run` and `test` can show them and a reader of the table can find the
-- damaged rows without running the test again.
alter table data_test_results add column failing_rows text not null default '';
