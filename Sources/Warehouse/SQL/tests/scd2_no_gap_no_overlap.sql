-- severity: error
-- Each version ends where the next one starts: around each window the run rebuilt, from the
-- last version before it (whose end the run may have moved) to the first one after it.
with pairs as (
  select
    product_id,
    valid_from,
    valid_to,
    lead(valid_from) over (partition by product_id, since order by valid_from) as next_from
  from tested_versions
)

select
  product_id,
  valid_from
from pairs
where next_from is not null and valid_to is distinct from next_from
