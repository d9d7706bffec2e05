-- volatility_counts: per product whose versions may have changed, its count of price changes
-- and, where the run knows them without reading its versions, its lowest and highest price
-- and its last change (null: mart_price_volatility reads them from product_versions).
-- - A rebuild counts the price changes over every version it rebuilt, and finds the lowest
--   and highest price and the last change in the same pass.
-- - An incremental run moves each touched product's count by what changed around its windows:
--   the versions inside them and first after them that change the price now (among
--   version_ends, which holds the version before each of them too), minus the same count
--   read before the versions were rewritten (previous_price_changes).
-- - A run only adds versions (new_versions) and deletes some (stale_versions), so the
--   stored lowest price still holds unless a deleted version had it, and likewise the
--   highest. The stored last change still holds unless it lay around a window, where the
--   last change among the windows' versions now says where it moved.
--
-- reads: rebuilt_versions, touched_windows, mart_price_volatility, version_ends,
--        previous_price_changes, new_versions, stale_versions, run_context
-- writes: volatility_counts
create temp table volatility_counts on commit drop as
with rebuilt as (
  -- a rebuild's versions are those it rebuilt, one window per product: counted there in one
  -- pass, not read back from product_versions and compared again
  select
    product_id,
    count(*) filter (where changes_price) as changes,
    min(price_cents) / 100.0 as min_price,
    max(price_cents) / 100.0 as max_price,
    max(valid_from) filter (where changes_price) as last_change_at
  from rebuilt_versions
  where (select rc.rebuilds_everything from run_context as rc)
  group by product_id
),

touched as (
  select distinct t.product_id
  from touched_windows as t
  where not (select rc.rebuilds_everything from run_context as rc)
),

changed_now as (
  select
    product_id,
    valid_from,
    around and price <> lag(price) over (partition by product_id order by valid_from)
      as changes_price
  from version_ends
),

now_around as (
  select
    product_id,
    count(*) filter (where changes_price) as changes,
    max(valid_from) filter (where changes_price) as last_change
  from changed_now
  group by product_id
),

added as (
  select
    product_id,
    min(price_cents) / 100.0 as lowest,
    max(price_cents) / 100.0 as highest
  from new_versions
  group by product_id
),

deleted as (
  select
    product_id,
    min(price) as lowest,
    max(price) as highest
  from stale_versions
  group by product_id
)

select
  product_id,
  changes,
  min_price,
  max_price,
  last_change_at
from rebuilt
union all
select
  t.product_id,
  coalesce(m.price_versions - 1, 0) + coalesce(n.changes, 0) - coalesce(o.changes, 0)
    as changes,
  -- a product the mart does not hold had one price, which the run does not know
  case
    when m.product_id is not null and (d.lowest is null or d.lowest > m.min_price)
      then least(m.min_price, a.lowest)
  end as min_price,
  case
    when m.product_id is not null and (d.highest is null or d.highest < m.max_price)
      then greatest(m.max_price, a.highest)
  end as max_price,
  -- The versions that change the price outside the windows are the same as before, and
  -- none is later than the stored last change. previous_price_changes read the stored last
  -- change exactly when it lay around a window.
  case
    when m.product_id is null then n.last_change
    when n.last_change >= m.last_change_at then n.last_change
    when o.last_change is null or o.last_change <> m.last_change_at
      then greatest(m.last_change_at, n.last_change)
  end as last_change_at
from touched as t
left join mart_price_volatility as m on t.product_id = m.product_id
left join now_around as n on t.product_id = n.product_id
left join previous_price_changes as o on t.product_id = o.product_id
left join added as a on t.product_id = a.product_id
left join deleted as d on t.product_id = d.product_id;
