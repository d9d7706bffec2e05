-- mart_price_volatility: per touched product whose price ever changed.
delete from mart_price_volatility m using touched_products t where m.product_id = t.product_id;

insert into mart_price_volatility
with priced as (
  select
    h.product_id, h.version, h.price, h.valid_from,
    (
      h.price is distinct from lag(h.price) over (partition by h.product_id order by h.version)
      and h.version > 1
    ) as price_changed
  from product_history as h
  join touched_products using (product_id)
)

select
  product_id,
  1 + count(*) filter (where price_changed),
  min(price),
  max(price),
  max(price) - min(price),
  max(valid_from) filter (where price_changed)
from priced
group by product_id
having count(*) filter (where price_changed) > 0;
