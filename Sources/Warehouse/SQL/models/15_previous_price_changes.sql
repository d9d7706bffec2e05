-- previous_price_changes: price_changes_around_windows read before product_versions changes
-- (incremental runs).
--
-- reads: price_changes_around_windows, run_context
-- writes: previous_price_changes
create temp table previous_price_changes on commit drop as
select
  product_id,
  changes,
  last_change
from price_changes_around_windows
where not (select rc.rebuilds_everything from run_context as rc);
