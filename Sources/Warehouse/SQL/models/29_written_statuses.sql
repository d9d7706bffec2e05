-- written_statuses: what this run writes: a rebuild's exceptions, or an incremental run's
-- changed verdicts (accepted ones included)
--
-- reads: new_statuses, changed_statuses, run_context
-- writes: written_statuses
create or replace temp view written_statuses as
select
  n.seq,
  n.status,
  n.reason,
  n.event_date
from new_statuses as n
where (select rc.rebuilds_everything from run_context as rc)
union all
select
  c.seq,
  c.status,
  c.reason,
  c.event_date
from changed_statuses as c;
