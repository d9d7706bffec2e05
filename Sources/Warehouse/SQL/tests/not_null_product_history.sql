-- severity: error
-- Every version has a price, a category, a cause and a start.
select
  h.product_id,
  h.valid_from
from product_versions as h
inner join tested_products as t on h.product_id = t.product_id and h.valid_from >= t.since
where h.price is null or h.category is null or h.event_id is null or h.valid_from is null
