-- previous_status (Citus): the affected lines joined with the sharded exceptions, which Citus
-- reads from the shards once; the single node probes them by key, a correlated lookup
-- Citus does not plan (as 03).
--
-- previous_status: the affected lines' statuses before this run: a line judged before (up
-- to the previous watermark) is accepted unless an exception is stored
--
-- reads: affected_lines, line_exceptions, run_context
-- writes: previous_status
create temp table previous_status on commit drop as
select
  a.seq,
  coalesce(e.status, 'accepted') as status,
  e.reason
from affected_lines as a
left join line_exceptions as e on a.seq = e.seq
where a.seq <= (select rc.watermark_from from run_context as rc);
analyze previous_status;
