-- kept_versions: per window, the last version before it, which seeds the replay, with its
-- row's address and stored end (version_ends moves that end)
--
-- reads: touched_windows, stored_versions
-- writes: kept_versions
create temp table kept_versions on commit drop as
select
  t.since as window_since,
  kept.*
from touched_windows as t
cross join lateral (
  select
    h.product_id, h.price, h.category, h.is_deleted, h.valid_from, h.event_id,
    h.row_id, h.valid_to as stored_to
  from stored_versions as h
  where h.product_id = t.product_id and h.valid_from < t.since
  order by h.valid_from desc
  limit 1
) as kept;
