-- recandidated_group_lines: the lines of such groups, read once (incremental runs; a rebuild
-- reads every line instead).
--
-- reads: new_events, run_events, recandidated_groups, run_context
-- writes: recandidated_group_lines
create temp table recandidated_group_lines on commit drop as
-- the groups' new lines, then the older lines of those that have them, by event_id
select
  s.product_id,
  s.event_time,
  s.order_id,
  s.event_type
from new_events as s
inner join recandidated_groups as r on s.event_id = r.event_id
where not (select rc.rebuilds_everything from run_context as rc)
union all
select
  s.product_id,
  s.event_time,
  s.order_id,
  s.event_type
from recandidated_groups as r
inner join run_events as s on r.event_id = s.event_id
where
  r.has_older_lines
  and s.seq <= (select rc.watermark_from from run_context as rc);
