-- severity: error
-- Each day's statuses add up to its deliveries, and the days to every line up to the
-- watermark (raw `seq` has no gaps, and the test above holds each to one status).
select
  event_date,
  delivered
from mart_data_quality_daily
where accepted + duplicates + invalid <> delivered
union all
select
  null as event_date,
  totals.delivered
from (select coalesce(sum(delivered), 0) as delivered from mart_data_quality_daily) as totals
where totals.delivered <> (select rc.watermark_to from run_context as rc)
