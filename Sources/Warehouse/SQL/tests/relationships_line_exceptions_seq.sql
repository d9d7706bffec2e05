-- severity: error
-- Every stored exception is the status of a staged line up to the watermark: none invented.
select e.seq
from line_exceptions as e
left join stg_events as s on e.seq = s.seq
where s.seq is null or e.seq > (select rc.watermark_to from run_context as rc)
