-- elected_orders: rule 12 (duplicate_order) for the order_ids this run judges again (every
-- order_id, when rebuilding). Of the orders passing rules 1-11 that share an order_id, the
-- earliest (event time, then event_id) is kept. Only order_ids with more than one passing
-- order get a row. order_winners stores them for later runs; judged_lines reads a new
-- line's winner here, not by hashing order_winners, which grows with the log.
--
-- reads: passing_events, run_context, touched_order_lines
-- writes: elected_orders
create temp table elected_orders on commit drop as
with competing_orders as (
  -- the orders rule 12 elects among (every passing order, when rebuilding)
  select
    o.seq,
    o.order_id,
    o.event_time,
    o.event_id
  from passing_events as o
  where
    (select rc.rebuilds_everything from run_context as rc)
    and o.event_type = 'order_placed'
  union all
  select
    l.seq,
    l.order_id,
    l.event_time,
    l.event_id
  from touched_order_lines as l
),

counted as (
  select
    order_id,
    seq,
    event_time,
    event_id,
    count(*) over (partition by order_id collate "C") as orders_with_id
  from competing_orders
)

-- order_ids compare byte for byte (collation "C"): whatever the database's collation, one
-- order_id is one group
select distinct on (order_id collate "C")
  order_id,
  seq
from counted
where orders_with_id > 1
order by order_id collate "C", event_time, event_id;

analyze elected_orders;
