-- mart_price_volatility: per product whose price ever changed, how many prices it had, the
-- lowest and highest, and when it last changed. What volatility_counts does not carry (a few
-- products in an incremental run) is read from product_versions: the lowest and highest price
-- from the product's versions, and the last change by walking back from the newest one.
--
-- reads: volatility_counts, written_versions
-- writes: mart_price_volatility
-- the counted products as a list (on Citus, the mart is a reference table, which no
-- `delete ... using` a temporary table may change)
delete from mart_price_volatility as m
where m.product_id in (select c.product_id from volatility_counts as c);

insert into mart_price_volatility (
  product_id, price_versions, min_price, max_price, price_range, last_change_at
)
with known as (
  -- `coalesce` reads a product's versions only for what the run does not know
  select
    c.product_id,
    c.changes,
    coalesce(
      c.min_price,
      (select min(h.price) from written_versions as h where h.product_id = c.product_id)
    ) as min_price,
    coalesce(
      c.max_price,
      (select max(h.price) from written_versions as h where h.product_id = c.product_id)
    ) as max_price,
    coalesce(
      c.last_change_at,
      (
        -- the newest version whose price differs from the one before it, walking back by
        -- the key
        select h.valid_from
        from written_versions as h
        where
          h.product_id = c.product_id
          and h.price <> (
            select b.price
            from written_versions as b
            where b.product_id = h.product_id and b.valid_from < h.valid_from
            order by b.valid_from desc
            limit 1
          )
        order by h.valid_from desc
        limit 1
      )
    ) as last_change_at
  from volatility_counts as c
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
