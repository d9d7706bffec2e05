-- mart_price_volatility: per product whose price ever changed, how many prices it had, the
-- lowest and highest, and when it last changed.
-- - A rebuild counts the price changes over every version.
-- - An incremental run moves each touched product's count by what changed around its windows
--   (price_changes_around_windows now, minus previous_price_changes read before the versions
--   were rewritten), and reads the lowest and highest price from an index and the last
--   change by walking back from the newest version.
create temp table volatility_counts on commit drop as
with rebuilt as (
  select
    product_id,
    count(*) filter (where price_changed) as changes
  from (
    select
      h.product_id,
      coalesce(
        h.price <> lag(h.price) over (partition by h.product_id order by h.valid_from), false
      ) as price_changed
    from product_versions as h
    where (select rc.rebuilds_everything from run_context as rc)
  ) as priced
  group by product_id
),

touched as (
  select distinct t.product_id
  from touched_windows as t
  where not (select rc.rebuilds_everything from run_context as rc)
)

select
  product_id,
  changes
from rebuilt
union all
select
  t.product_id,
  coalesce(m.price_versions - 1, 0) + coalesce(n.changes, 0) - coalesce(o.changes, 0)
    as changes
from touched as t
left join mart_price_volatility as m on t.product_id = m.product_id
left join price_changes_around_windows as n on t.product_id = n.product_id
left join previous_price_changes as o on t.product_id = o.product_id;

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
