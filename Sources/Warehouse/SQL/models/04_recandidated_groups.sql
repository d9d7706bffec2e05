-- recandidated_groups: the touched groups whose candidate changed: new groups (every line
-- from this run) and groups that have just become conflicting. A redelivery that agrees with
-- its group changes nothing beyond its own status.
--
-- reads: touched_groups, event_groups, run_context
-- writes: recandidated_groups
create temp table recandidated_groups on commit drop as
select t.event_id
from touched_groups as t
left join event_groups as g on t.event_id = g.event_id
where
  g.event_id is null
  or g.first_seq > (select rc.watermark_from from run_context as rc)
  or (g.conflicting and not t.was_conflicting);
analyze recandidated_groups;
