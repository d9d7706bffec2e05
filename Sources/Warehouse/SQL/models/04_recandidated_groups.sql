-- recandidated_groups: the touched groups whose candidate changed: new groups (every line
-- from this run) and groups that have just become conflicting. A redelivery that agrees with
-- its group changes nothing beyond its own status. `has_older_lines`: the group has lines
-- from earlier runs (only then are its lines looked up beyond the new ones).
--
-- reads: touched_groups, event_groups, run_context
-- writes: recandidated_groups
create temp table recandidated_groups on commit drop as
select
  t.event_id,
  coalesce(g.first_seq <= (select rc.watermark_from from run_context as rc), false)
    as has_older_lines
from touched_groups as t
left join event_groups as g on t.event_id = g.event_id
where
  g.event_id is null
  or g.first_seq > (select rc.watermark_from from run_context as rc)
  or (g.conflicting and not t.was_conflicting);
analyze recandidated_groups;
