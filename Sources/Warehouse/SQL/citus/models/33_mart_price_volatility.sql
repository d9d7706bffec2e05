-- mart_price_volatility (Citus): as the single node's, with what volatility_counts does not
-- carry read from the products' shards in one pass over their whole histories (grouped and
-- windowed by product_id, which Citus runs on the shards), not by correlated lookups,
-- which Citus does not plan into a sharded table. written_versions holds only what the
-- run's lookups reach, not a product's whole history.
--
-- mart_price_volatility: per product whose price ever changed, how many prices it had, the
-- lowest and highest, and when it last changed.
--
-- reads: volatility_counts, product_versions
-- writes: mart_price_volatility
delete from mart_price_volatility as m
where m.product_id in (select c.product_id from volatility_counts as c);

insert into mart_price_volatility (
  product_id, price_versions, min_price, max_price, price_range, last_change_at
)
with unknown as materialized (
  -- the products whose extremes or last change the run does not know
  select c.product_id
  from volatility_counts as c
  where
    c.changes > 0
    and (c.min_price is null or c.max_price is null or c.last_change_at is null)
),

histories as materialized (
  select
    v.product_id,
    min(v.price) as min_price,
    max(v.price) as max_price,
    max(v.valid_from) filter (where v.changes_price) as last_change_at
  from (
    select
      h.product_id,
      h.price,
      h.valid_from,
      h.price <> lag(h.price) over (partition by h.product_id order by h.valid_from)
        as changes_price
    from product_versions as h
    where h.product_id in (select u.product_id from unknown as u)
  ) as v
  group by v.product_id
),

known as (
  select
    c.product_id,
    c.changes,
    coalesce(c.min_price, s.min_price) as min_price,
    coalesce(c.max_price, s.max_price) as max_price,
    coalesce(c.last_change_at, s.last_change_at) as last_change_at
  from volatility_counts as c
  left join histories as s on c.product_id = s.product_id
  where c.changes > 0
)

select
  product_id,
  1 + changes as price_versions,
  min_price,
  max_price,
  max_price - min_price as price_range,
  last_change_at
from known;
