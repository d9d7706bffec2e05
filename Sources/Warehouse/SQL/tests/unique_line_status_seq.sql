-- severity: error
-- Each line has at most one status (among the lines this run judged).
select l.seq
from line_status as l
inner join tested_lines as t on l.seq = t.seq
group by l.seq
having count(*) > 1
