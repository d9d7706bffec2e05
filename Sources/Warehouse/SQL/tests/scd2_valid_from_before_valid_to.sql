-- severity: error
-- Every closed version ends after it starts.
select
  h.product_id,
  h.valid_from
from product_versions as h
inner join tested_products as t on h.product_id = t.product_id and h.valid_from >= t.since
where h.valid_to is not null and h.valid_from >= h.valid_to
