-- priced_orders (Citus): as the single node's, but rule 12 filters the orders by the
-- winners' order_ids and lines, each read from order_winners' shards once (for the affected
-- orders, by their order_ids): Citus plans no correlated subquery into a sharded table. The
-- versions are read from written_versions, the touched products' versions copied from
-- their shards.
--
-- priced_orders: the winning orders (passing rules 1-12) whose acceptance or price may have
-- changed, each with its product's version in force at its event time (`price` null: no
-- version was in force, before the first or discontinued, an orphan). Rule 13 judges them
-- and the sales mart counts them.
-- - A rebuild prices every winning order. The as-of join is one sort and one running maximum
--   per product, over its versions and orders in time order.
-- - An incremental run prices the affected orders (affected_lines), each by one probe of the
--   versions' key: a few thousand, wherever they lie in time.
--
-- reads: passing_events, order_winners, written_versions, passing_affected_lines,
--        affected_lines, run_context
-- writes: priced_orders
create temp table priced_orders on commit drop as
with winning_orders as (
  -- an order wins unless its order_id's winner is another line
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
    and (
      o.order_id is null
      or o.order_id not in (select w.order_id from order_winners as w)
      or o.seq in (select w.seq from order_winners as w)
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
  from written_versions as h
  where (select rc.rebuilds_everything from run_context as rc)
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
    and (
      a.order_id is null
      or a.order_id not in (
        select w.order_id
        from order_winners as w
        where w.order_id in (select l.order_id from affected_lines as l)
      )
      or a.seq in (
        select w.seq
        from order_winners as w
        where w.order_id in (select l.order_id from affected_lines as l)
      )
    )
)

select
  c.seq,
  c.product_id,
  c.event_date,
  c.quantity,
  case when not v.is_deleted then v.price end as price
from carried as c
left join written_versions as v on c.product_id = v.product_id and c.version_from = v.valid_from
where c.seq is not null  -- the orders (a version has no seq)
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
