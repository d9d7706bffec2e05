-- touched_groups: the event_ids of an incremental run's new lines (none when rebuilding).
--
-- reads: new_events, run_context, event_groups
-- writes: touched_groups
create temp table touched_groups on commit drop as
with new_event_ids as (
  select distinct s.event_id
  from new_events as s
  where
    not (select rc.rebuilds_everything from run_context as rc)
    and s.event_id is not null
)

-- whether the group was already conflicting before this run (its candidate cannot change)
select
  n.event_id,
  coalesce(g.conflicting, false) as was_conflicting
from new_event_ids as n
left join event_groups as g on n.event_id = g.event_id;
analyze touched_groups;
