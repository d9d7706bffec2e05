-- mart_price_volatility: per touched product whose price ever changed.
delete from mart_price_volatility as m
using touched_products as t
where m.product_id = t.product_id;

insert into mart_price_volatility (
  product_id, price_versions, min_price, max_price, price_range, last_change_at
)
with priced as (
  -- a price change: a version whose price differs from the version before it
  select
    h.product_id,
    h.price,
    h.valid_from,
    coalesce(
      h.price <> lag(h.price) over (partition by h.product_id order by h.valid_from), false
    ) as price_changed
  from product_versions as h
  inner join touched_products as t on h.product_id = t.product_id
)

select
  product_id,
  1 + count(*) filter (where price_changed) as price_versions,
  min(price) as min_price,
  max(price) as max_price,
  max(price) - min(price) as price_range,
  max(valid_from) filter (where price_changed) as last_change_at
from priced
group by product_id
having count(*) filter (where price_changed) > 0;
