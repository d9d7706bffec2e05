-- recandidated_groups: the touched groups whose candidate changed (incremental runs): new
-- groups (every line from this run) and groups that have just become conflicting. A
-- redelivery that agrees with its group changes nothing beyond its own status.
-- `has_older_lines`: the group has lines from earlier runs (only then are its lines looked
-- up beyond the new ones).
--
-- reads: touched_groups, run_context
-- writes: recandidated_groups
create temp table recandidated_groups on commit drop as
select
  t.event_id,
  t.first_seq <= (select rc.watermark_from from run_context as rc) as has_older_lines
from touched_groups as t
where
  not (select rc.rebuilds_everything from run_context as rc)
  and (
    t.first_seq > (select rc.watermark_from from run_context as rc)
    or (t.conflicting and not t.was_conflicting)
  );
analyze recandidated_groups;
