-- price_changes_around_windows (a view: read before product_versions changes, by
-- previous_price_changes, and again after, by volatility_counts): per touched product, how
-- many of the versions inside its windows and first after each window change the price of
-- the version before them. Only these can gain, lose or change the version before them, so
-- the difference between the two readings is how much the product's count of price changes
-- moved.
--
-- reads: touched_windows, product_versions
-- writes: price_changes_around_windows
create or replace temp view price_changes_around_windows as
with around as (
  select distinct
    t.product_id,
    h.valid_from,
    h.price
  from touched_windows as t
  cross join lateral (
    select i.valid_from, i.price
    from product_versions as i
    where i.product_id = t.product_id and i.valid_from between t.since and t.until
    union all
    (
      select a.valid_from, a.price
      from product_versions as a
      where a.product_id = t.product_id and a.valid_from > t.until
      order by a.valid_from
      limit 1
    )
  ) as h
)

select
  a.product_id,
  count(*) filter (where a.price <> b.price) as changes
from around as a
cross join lateral (
  select v.price
  from product_versions as v
  where v.product_id = a.product_id and v.valid_from < a.valid_from
  order by v.valid_from desc
  limit 1
) as b
group by a.product_id;
