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
left join lateral (
  -- one probe of the key per line (`limit 1`): joined, the planner hashed every exception
  -- stored, a table that grows with the log, for a few thousand lines
  select
    x.status,
    x.reason
  from line_exceptions as x
  where x.seq = a.seq
  order by x.seq
  limit 1
) as e on true
where a.seq <= (select rc.watermark_from from run_context as rc);
analyze previous_status;
