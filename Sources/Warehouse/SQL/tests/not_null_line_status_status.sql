-- severity: error
-- Every judged line has a status.
select l.seq
from line_status as l
inner join tested_lines as t on l.seq = t.seq
where l.status is null
