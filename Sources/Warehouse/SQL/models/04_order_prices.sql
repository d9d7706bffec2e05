-- priced_orders: the orders rules 12-13 may judge again and the sales mart counts: the
-- winning orders (passing rules 1-12) of the touched products from the start of the UTC day
-- of `since` (the sales mart's window), each with its product's version in force at its
-- event time. The as-of join is one sort and one running maximum per product.
create temp table priced_orders on commit drop as
with windows as not materialized (
  -- each touched product's window starts at the UTC day of `since` (inlined where it is
  -- used, so the planner joins touched_products with its statistics and its key)
  select
    product_id,
    window_start
  from touched_products
),

winning_orders as (
  -- an order wins unless its order_id's winner is another line (an anti-join: the planner
  -- estimates it well, where `w.order_id is null or w.seq = o.seq` after a left join made it
  -- expect one row)
  select
    o.seq,
    o.product_id,
    o.event_time,
    o.event_date,
    o.quantity
  from passing_events as o
  inner join windows as t on o.product_id = t.product_id
  where
    o.event_type = 'order_placed'
    and o.event_time >= t.window_start
    and not exists (
      select 1
      from order_winners as w
      where w.order_id = o.order_id and w.seq <> o.seq
    )
),

timeline as (
  -- versions and orders of each product in time order (a version first at an equal
  -- instant, as validity is [valid_from, valid_to))
  select
    h.product_id,
    h.valid_from as at,
    0 as kind,
    null::bigint as seq,
    null::date as event_date,
    null::integer as quantity
  from product_versions as h
  inner join windows as t on h.product_id = t.product_id
  where h.valid_to is null or h.valid_to > t.window_start
  union all
  select
    product_id,
    event_time,
    1,
    seq,
    event_date,
    quantity
  from winning_orders
),

carried as (
  -- each order under the latest version so far: the latest start among the versions
  -- before it (a running maximum of a timestamp; the version is read by its key after)
  select
    *,
    max(at) filter (where kind = 0) over (
      partition by product_id order by at, kind rows between unbounded preceding and current row
    ) as version_from
  from timeline
)

select
  c.seq,
  c.product_id,
  c.event_date,
  c.quantity,
  -- null: no version was in force (before the first, or discontinued), an orphan
  case when not v.is_deleted then v.price end as price
from carried as c
left join product_versions as v on c.product_id = v.product_id and c.version_from = v.valid_from
where c.seq is not null;  -- the orders (a version has no seq)

analyze priced_orders;
