-- priced_orders: the winning orders (passing rules 1-12) whose acceptance or price may have
-- changed, each with its product's version in force at its event time (`price` null: no
-- version was in force, before the first or discontinued, an orphan). Rule 13 judges them
-- and the sales mart counts them.
-- - A rebuild prices every winning order by a binary search (`width_bucket`) among its
--   product's version starts, held once per product as arrays in time order: no sort of
--   versions and orders together (at 10M lines 18-19 s for that sort and its running
--   maximum; 11.5 s this way). The prices travel as cents: subscripting an array of a
--   fixed-length type is a jump, of `numeric` a walk over the elements before it.
-- - An incremental run prices the affected orders (affected_lines), each by one probe of the
--   versions' key: a few thousand, wherever they lie in time.
--
-- reads: passing_events, order_winners, written_versions, passing_affected_lines,
--        run_context
-- writes: priced_orders
create temp table priced_orders on commit drop as
with winning_orders as (
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
  where
    (select rc.rebuilds_everything from run_context as rc)
    and o.event_type = 'order_placed'
    and not exists (
      select 1
      from order_winners as w
      where w.order_id = o.order_id and w.seq <> o.seq
    )
),

version_arrays as (
  -- a rebuild: each product's versions as arrays in time order (width_bucket needs its
  -- bounds sorted)
  select
    h.product_id,
    array_agg(h.valid_from order by h.valid_from) as starts,
    array_agg((h.price * 100)::bigint order by h.valid_from) as prices,
    array_agg(h.is_deleted order by h.valid_from) as deleted
  from written_versions as h
  where (select rc.rebuilds_everything from run_context as rc)
  group by h.product_id
),

affected_orders as (
  -- the affected lines that pass rules 1-12 as orders
  select
    a.seq,
    a.product_id,
    a.event_time,
    a.event_date,
    a.quantity
  from passing_affected_lines as a
  where
    a.event_type = 'order_placed'
    and not exists (
      select 1
      from order_winners as w
      where w.order_id = a.order_id and w.seq <> a.seq
    )
)

select
  o.seq,
  o.product_id,
  o.event_date,
  o.quantity,
  -- the number of starts at or before the order is the index of its version (0: none yet,
  -- and a subscript out of range is null)
  case
    when not a.deleted[width_bucket(o.event_time, a.starts)]
      then (a.prices[width_bucket(o.event_time, a.starts)] * 0.01)::numeric(14, 2)
  end as price
from winning_orders as o
left join version_arrays as a on o.product_id = a.product_id
union all
select
  o.seq,
  o.product_id,
  o.event_date,
  o.quantity,
  case when not v.is_deleted then v.price end as price
from affected_orders as o
left join lateral (
  select
    h.price,
    h.is_deleted
  from written_versions as h
  where h.product_id = o.product_id and h.valid_from <= o.event_time
  order by h.valid_from desc
  limit 1
) as v on true;

analyze priced_orders;
