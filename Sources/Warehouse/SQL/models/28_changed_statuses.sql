-- changed_statuses: the verdicts that differ from before (incremental runs; a rebuild writes
-- every verdict). Only these are written, and the quality mart moves by them.
--
-- reads: new_statuses, previous_status, run_context
-- writes: changed_statuses
create temp table changed_statuses on commit drop as
select
  n.seq,
  n.status,
  n.reason,
  n.event_date,
  p.status as previous_status,
  p.reason as previous_reason
from new_statuses as n
left join previous_status as p on n.seq = p.seq
where
  not (select rc.rebuilds_everything from run_context as rc)
  and (p.seq is null or row(n.status, n.reason) is distinct from row(p.status, p.reason));
