-- priced_orders: the orders rules 12-13 may judge again and the sales mart counts: the
-- winning orders (passing rules 1-12) of the touched products from the start of the UTC day
-- of `since` (the sales mart's window), each with its product's version in force at its
-- event time. The as-of join is one sort and one running maximum per product.
create temp table priced_orders on commit drop as
with windows as (
  -- each touched product's window starts at the UTC day of `since`
  select
    product_id,
    date_trunc('day', since, 'UTC') as window_start
  from touched_products
),

winning_orders as (
  select
    o.seq,
    o.product_id,
    o.event_time,
    o.event_date,
    o.quantity
  from passing_events as o
  inner join windows as t on o.product_id = t.product_id
  left join order_winners as w on o.order_id = w.order_id
  where
    o.event_type = 'order_placed'
    and o.event_time >= t.window_start
    and (w.order_id is null or w.seq = o.seq)
),

timeline as (
  -- versions and orders of each product in time order (a version first at an equal
  -- instant, as validity is [valid_from, valid_to)). A version carries its key: one number
  -- whose order is the versions' time order and whose low digits hold 1 + its price in
  -- cents (0 for a tombstone): its start in microseconds, made positive by an offset past
  -- PostgreSQL's earliest timestamp, times 10^13 (prices stay below 10^12 cents).
  select
    h.product_id,
    h.valid_from as at,
    0 as kind,
    (extract(epoch from h.valid_from) * 1000000 + 300000000000000000) * 10000000000000
    + case when h.is_deleted then 0 else h.price * 100 + 1 end as version_key,
    null::bigint as seq,
    null::date as event_date,
    null::integer as quantity
  from product_versions as h
  inner join windows as t on h.product_id = t.product_id
  where h.valid_to is null or h.valid_to > t.window_start
  union all
  select product_id, event_time, 1, null, seq, event_date, quantity
  from winning_orders
),

carried as (
  -- each order under the latest version so far: the largest key
  select
    *,
    max(version_key) over (
      partition by product_id order by at, kind rows between unbounded preceding and current row
    ) as latest_version
  from timeline
)

select
  seq,
  product_id,
  event_date,
  quantity,
  -- null: no version was in force (before the first, or discontinued), an orphan
  (
    (nullif(latest_version % 10000000000000, 0) - 1) / 100
  )::numeric(14, 2) as price
from carried
where kind = 1;

analyze priced_orders;
