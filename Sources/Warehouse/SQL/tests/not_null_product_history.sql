-- severity: error
-- Every version has a price, a category, a cause and a start (the versions inside the
-- windows the run rebuilt, found by the table's key first; `chaoslake test`: every version).
with versions as materialized (
  select
    h.product_id,
    h.valid_from,
    h.price,
    h.category,
    h.event_id
  from tested_windows as t
  inner join product_versions as h
    on t.product_id = h.product_id and h.valid_from between t.since and t.until
)

select
  product_id,
  valid_from
from versions
where price is null or category is null or event_id is null or valid_from is null
