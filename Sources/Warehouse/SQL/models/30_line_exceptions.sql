-- line_exceptions: the lines that are not accepted (line_status, a view, adds the accepted
-- ones). A run deletes the changed lines' rows and writes their new verdicts.
--
-- reads: changed_statuses, written_statuses
-- writes: line_exceptions
delete from line_exceptions as e
using changed_statuses as c
where
  e.seq = c.seq
  -- only a line with an exception stored has a row to delete (previous_status read them
  -- in this run): probing every changed line looked up each new line in vain (10,000
  -- probes for about 550 rows after 1 % more lines at 1M)
  and c.previous_status <> 'accepted';

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
