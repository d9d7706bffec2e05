-- delivered_lines (rebuilds): per event date (null when unknown), how many lines there are.
-- A table of its own, not a part of the mart's insert, so that a rebuild counts staging
-- with parallel workers: PostgreSQL 15 runs no `insert ... select` in parallel. It reads
-- new_events, all lines when rebuilding, not run_events: over a scan of every line, the
-- planner started workers in incremental runs too, only for the gate to stop them.
--
-- reads: new_events, run_context
-- writes: delivered_lines
create temp table delivered_lines on commit drop as
select
  case when s.is_json then s.event_date end as event_date,
  count(*) as line_count
from new_events as s  -- every line, when rebuilding
where (select rc.rebuilds_everything from run_context as rc)
group by case when s.is_json then s.event_date end;
