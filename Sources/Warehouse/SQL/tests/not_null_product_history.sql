-- severity: error
-- Every version has a price, a category, a cause and a start (the versions inside the
-- windows the run rebuilt; `chaoslake test`: every version).
select
  product_id,
  valid_from
from tested_versions
where
  place = 'inside'
  and (price is null or category is null or event_id is null or valid_from is null)
