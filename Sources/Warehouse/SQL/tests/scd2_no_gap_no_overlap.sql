-- severity: error
-- Each version ends where the next one starts: around each window the run rebuilt, from the
-- last version before it (whose end the run may have moved) to the first one after it.
with neighbourhood as (
  select
    t.product_id,
    t.since,
    h.valid_from,
    h.valid_to
  from tested_windows as t
  cross join lateral (
    (
      select b.valid_from, b.valid_to
      from product_versions as b
      where b.product_id = t.product_id and b.valid_from < t.since
      order by b.valid_from desc
      limit 1
    )
    union all
    select i.valid_from, i.valid_to
    from product_versions as i
    where i.product_id = t.product_id and i.valid_from between t.since and t.until
    union all
    (
      select a.valid_from, a.valid_to
      from product_versions as a
      where a.product_id = t.product_id and a.valid_from > t.until
      order by a.valid_from
      limit 1
    )
  ) as h
),

pairs as (
  select
    product_id,
    valid_from,
    valid_to,
    lead(valid_from) over (partition by product_id, since order by valid_from) as next_from
  from neighbourhood
)

select
  product_id,
  valid_from
from pairs
where next_from is not null and valid_to is distinct from next_from
