-- state_event_orphans: rule 13 for state events: the updates and discontinuations that met
-- no active product. The orphans inside the windows are judged again.
--
-- reads: touched_windows, affected_lines, judged_orphans
-- writes: state_event_orphans
with judged_again as materialized (
  -- affected_lines holds every line inside the windows (and is empty when rebuilding): its
  -- row count is known, so the planner looks the few orphans up by key
  select a.seq
  from touched_windows as t
  inner join affected_lines as a
    on t.product_id = a.product_id and a.event_time between t.since and t.until
)

delete from state_event_orphans as o
using judged_again as j
where o.seq = j.seq;

insert into state_event_orphans (seq)
select seq from judged_orphans;
