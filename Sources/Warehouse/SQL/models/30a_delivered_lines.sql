-- delivered_lines (rebuilds): per event date (null when unknown), how many lines there are.
-- A table of its own, not a part of the mart's insert (PostgreSQL 15 runs no `insert ...
-- select` in parallel), over new_events like touched_products (decision 87).
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
