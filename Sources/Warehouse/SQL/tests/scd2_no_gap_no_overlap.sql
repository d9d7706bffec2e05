-- severity: error
-- Each version ends where the next one starts (the versions from the last one before
-- `since`, whose end the run may have moved).
with pairs as (
  select
    h.product_id,
    h.valid_from,
    h.valid_to,
    lead(h.valid_from) over (partition by h.product_id order by h.valid_from) as next_from
  from product_versions as h
  inner join tested_products as t
    on h.product_id = t.product_id and coalesce(h.valid_to, 'infinity') >= t.since
)

select
  product_id,
  valid_from
from pairs
where next_from is not null and valid_to is distinct from next_from
