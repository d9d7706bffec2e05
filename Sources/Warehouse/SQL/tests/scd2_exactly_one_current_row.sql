-- severity: error
-- Each product with a version among those the run rebuilt has exactly one open version
-- (counted on the index of open versions).
select p.product_id
from (select distinct t.product_id from tested_windows as t) as p
where
  exists (select 1 from product_versions as h where h.product_id = p.product_id)
  and (
    select count(*)
    from product_versions as h
    where h.product_id = p.product_id and h.valid_to is null
  ) <> 1
