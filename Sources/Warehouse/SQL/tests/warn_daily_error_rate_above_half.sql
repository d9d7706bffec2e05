-- severity: warn
-- Days on which more than half the deliveries (duplicates aside) were invalid.
select
  event_date,
  error_rate
from mart_data_quality_daily
where error_rate > 0.5
