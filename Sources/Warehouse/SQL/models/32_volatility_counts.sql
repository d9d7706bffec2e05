-- volatility_counts: per product whose versions may have changed, its count of price changes.
-- - A rebuild counts the price changes over every version.
-- - An incremental run moves each touched product's count by what changed around its windows
--   (price_changes_around_windows now, minus previous_price_changes read before the versions
--   were rewritten).
--
-- reads: product_versions, touched_windows, mart_price_volatility, price_changes_around_windows,
--        previous_price_changes, run_context
-- writes: volatility_counts
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
