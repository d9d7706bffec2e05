-- line_exceptions: the lines that are not accepted (line_status, a view, adds the accepted
-- ones). A run deletes the changed lines' rows and writes their new verdicts.
--
-- reads: changed_statuses, written_statuses
-- writes: line_exceptions
delete from line_exceptions as e
using changed_statuses as c
where e.seq = c.seq;

-- into an empty table (a rebuild), its index is built once after the load
select set_indexes_aside('line_exceptions');

insert into line_exceptions (seq, status, reason)
select
  seq,
  status,
  reason
from written_statuses
where status <> 'accepted';

select build_indexes_set_aside('line_exceptions');
