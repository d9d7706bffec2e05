-- elected_orders: rule 12 (duplicate_order) for the order_ids this run judges again (every
-- order_id, when rebuilding). Of the orders passing rules 1-11 that share an order_id, the
-- earliest (event time, then event_id) is kept. Only order_ids with more than one passing
-- order get a row. order_winners stores them for later runs; judged_lines reads a new
-- line's winner here, not by hashing order_winners, which grows with the log.
--
-- reads: passing_events, run_events, run_context, touched_order_lines
-- writes: elected_orders
create temp table elected_orders on commit drop as
with repeated_order_ids as (
  -- a rebuild: the order_ids on more than one line, counted in the order of staging's
  -- order_id index, which holds them without reading the table. Only these can have more
  -- than one passing order; at 1M lines they are one order_id in twenty.
  select o.order_id
  from (
    select s.order_id
    from run_events as s
    where
      (select rc.rebuilds_everything from run_context as rc)
      and s.order_id is not null
    order by s.order_id
  ) as o
  group by o.order_id
  having count(*) > 1
),

competing_orders as (
  -- the orders rule 12 elects among (when rebuilding, those of the repeated order_ids)
  select
    o.seq,
    o.order_id,
    o.event_time,
    o.event_id
  from repeated_order_ids as r
  inner join passing_events as o on r.order_id = o.order_id
  where o.event_type = 'order_placed'
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
