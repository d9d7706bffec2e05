-- severity: error
-- Each version ends where the next one starts.
with pairs as (
  select
    h.product_id,
    h.version,
    h.valid_to,
    lead(h.valid_from) over (partition by h.product_id order by h.version) as next_from
  from product_history as h
  inner join tested_products as t on h.product_id = t.product_id
)

select
  product_id,
  version
from pairs
where next_from is not null and valid_to is distinct from next_from
