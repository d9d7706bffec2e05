-- severity: error
-- As many statuses as raw lines up to the watermark: no line lost, none invented.
with counts as (
  select
    (
      select count(*)
      from raw_events as r
      where r.seq <= (select rc.watermark_to from run_context as rc)
    ) as raw_lines,
    (select count(*) from line_status) as statuses
)

select
  raw_lines,
  statuses
from counts
where raw_lines <> statuses
