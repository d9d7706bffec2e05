-- version_ends (incremental runs): where each version around the windows ends now: at the
-- next start among the stored versions that stay (the last before each window, those inside
-- it, the first after it) and the new ones. The first version after a window keeps its end
-- (`may_move` is false), unless it is also the last before the next window. A stored
-- version keeps its row's address and its stored end, so product_versions moves only the
-- ends that change, by address (probing the key for every version around the windows cost
-- as much as the writes). Each version keeps its price, and whether it lies inside a window
-- or first after one (`around`): volatility_counts counts the price changes among these.
--
-- reads: touched_windows, kept_versions, stored_versions, stale_versions, new_versions,
--        run_context
-- writes: version_ends
create temp table version_ends on commit drop as
with stale_seeds as (
  -- the windows whose last version before them is deleted by this run (it lies inside an
  -- earlier window): the last one that stays is probed for
  select k.product_id, k.window_since
  from kept_versions as k
  inner join stale_versions as s on k.product_id = s.product_id and k.valid_from = s.valid_from
),

starts as (
  -- the last version before each window that stays: the replay's seed, read by 16
  select
    k.product_id,
    k.valid_from,
    true as may_move,
    k.row_id,
    k.stored_to,
    k.price,
    false as around
  from kept_versions as k
  where
    not (select rc.rebuilds_everything from run_context as rc)
    and not exists (
      select 1 from stale_versions as s
      where s.product_id = k.product_id and s.valid_from = k.valid_from
    )
  union all
  select
    b.product_id,
    b.valid_from,
    true as may_move,
    b.row_id,
    b.stored_to,
    b.price,
    false as around
  from stale_seeds as t
  cross join lateral (
    select b.product_id, b.valid_from, b.row_id, b.valid_to as stored_to, b.price
    from stored_versions as b
    where
      b.product_id = t.product_id
      and b.valid_from < t.window_since
      and not exists (
        select 1 from stale_versions as s
        where s.product_id = b.product_id and s.valid_from = b.valid_from
      )
    order by b.valid_from desc
    limit 1
  ) as b
  union all
  select
    h.product_id,
    h.valid_from,
    h.valid_from <= t.until as may_move,
    h.row_id,
    h.stored_to,
    h.price,
    h.around
  from touched_windows as t
  cross join lateral (
    select
      i.product_id, i.valid_from, i.row_id, i.valid_to as stored_to, i.price,
      true as around
    from stored_versions as i
    where
      i.product_id = t.product_id
      and i.valid_from between t.since and t.until
      and not exists (
        select 1 from stale_versions as s
        where s.product_id = i.product_id and s.valid_from = i.valid_from
      )
    union all
    (
      select
        a.product_id, a.valid_from, a.row_id, a.valid_to as stored_to, a.price,
        true as around
      from stored_versions as a
      where
        a.product_id = t.product_id
        and a.valid_from > t.until
        and not exists (
          select 1 from stale_versions as s
          where s.product_id = a.product_id and s.valid_from = a.valid_from
        )
      order by a.valid_from
      limit 1
    )
  ) as h
  where not (select rc.rebuilds_everything from run_context as rc)
  union all
  select
    n.product_id,
    n.valid_from,
    true as may_move,
    null::tid as row_id,
    null::timestamptz as stored_to,
    n.price_cents / 100.0 as price,
    true as around
  from new_versions as n  -- empty when rebuilding
),

distinct_starts as (
  select
    product_id,
    valid_from,
    bool_or(may_move) as may_move,
    -- a stored version found twice (first after one window, last before the next) is one row
    min(row_id) as row_id,
    min(stored_to) as stored_to,
    min(price) as price,
    bool_or(around) as around
  from starts
  group by product_id, valid_from
)

select
  product_id,
  valid_from,
  lead(valid_from) over (partition by product_id order by valid_from) as valid_to,
  may_move,
  row_id,
  stored_to,
  price,
  around
from distinct_starts;
