-- state_event_orphans: rule 13 for state events: the updates and discontinuations that met
-- no active product. The orphans inside the windows are judged again.
--
-- reads: touched_windows, run_events, run_context, history_events
-- writes: state_event_orphans
with judged_again as materialized (
  select s.seq
  from touched_windows as t
  inner join run_events as s
    on t.product_id = s.product_id and s.event_time between t.since and t.until
  where not (select rc.rebuilds_everything from run_context as rc)
)

delete from state_event_orphans as o
using judged_again as j
where o.seq = j.seq;

-- the updates and discontinuations that met no active product
insert into state_event_orphans (seq)
select seq from history_events
where not seeded and event_type <> 'product_created' and not coalesce(active_before, false);
