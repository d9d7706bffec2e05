-- severity: error
-- Every closed version ends after it starts (the versions inside the windows the run rebuilt,
-- and the one before each, whose end the run may have moved; found by the table's key first).
with versions as materialized (
  select
    h.product_id,
    h.valid_from,
    h.valid_to
  from tested_windows as t
  inner join product_versions as h
    on t.product_id = h.product_id and h.valid_from between t.since and t.until
  union all
  select
    b.product_id,
    b.valid_from,
    b.valid_to
  from tested_windows as t
  cross join lateral (
    select v.product_id, v.valid_from, v.valid_to
    from product_versions as v
    where v.product_id = t.product_id and v.valid_from < t.since
    order by v.valid_from desc
    limit 1
  ) as b
)

select
  product_id,
  valid_from
from versions
where valid_to is not null and valid_from >= valid_to
