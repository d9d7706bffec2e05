-- recandidated_group_lines: the lines of such groups, read once (incremental runs; a rebuild
-- reads every line instead).
--
-- reads: run_events, recandidated_groups, run_context
-- writes: recandidated_group_lines
create temp table recandidated_group_lines on commit drop as
select
  s.product_id,
  s.event_time,
  s.order_id,
  s.event_type
from run_events as s
inner join recandidated_groups as r on s.event_id = r.event_id
where not (select rc.rebuilds_everything from run_context as rc);
