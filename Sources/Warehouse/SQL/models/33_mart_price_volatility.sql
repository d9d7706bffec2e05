-- mart_price_volatility: per product whose price ever changed, how many prices it had, the
-- lowest and highest, and when it last changed. The lowest and highest price come from an
-- index, and the last change from walking back from the newest version.
--
-- reads: volatility_counts, product_versions
-- writes: mart_price_volatility
delete from mart_price_volatility as m
using volatility_counts as c
where m.product_id = c.product_id;

insert into mart_price_volatility (
  product_id, price_versions, min_price, max_price, price_range, last_change_at
)
select
  c.product_id,
  1 + c.changes as price_versions,
  extremes.min_price,
  extremes.max_price,
  extremes.max_price - extremes.min_price as price_range,
  last_change.valid_from as last_change_at
from volatility_counts as c
cross join lateral (
  select
    min(h.price) as min_price,
    max(h.price) as max_price
  from product_versions as h
  where h.product_id = c.product_id
) as extremes
cross join lateral (
  -- the newest version whose price differs from the one before it, walking back by the key
  select h.valid_from
  from product_versions as h
  where
    h.product_id = c.product_id
    and h.price <> (
      select b.price
      from product_versions as b
      where b.product_id = h.product_id and b.valid_from < h.valid_from
      order by b.valid_from desc
      limit 1
    )
  order by h.valid_from desc
  limit 1
) as last_change
where c.changes > 0;
