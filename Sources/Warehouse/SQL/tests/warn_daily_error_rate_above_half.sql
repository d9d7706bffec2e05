-- severity: warn
-- Days on which more than half the deliveries (duplicates aside) were invalid. The row of
-- unknown dates is left out: a line has no date only when it is malformed or its timestamp
-- does not parse, so that row is invalid by definition and would warn on every stream.
select
  event_date,
  error_rate
from mart_data_quality_daily
where event_date is not null and error_rate > 0.5
