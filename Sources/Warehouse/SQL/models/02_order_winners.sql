-- order_winners: rule 12 (duplicate_order). Of the orders passing rules 1-11 that share an
-- order_id, the earliest (event time, then event_id) is kept. Only order_ids with more than
-- one passing order get a row.
--
-- touched_order_lines: the passing orders of the touched order_ids, read once (incremental
-- runs).
create temp table touched_order_lines on commit drop as
select
  o.seq,
  o.product_id,
  o.order_id,
  o.event_time,
  o.event_id
from passing_events as o
inner join touched_orders as t on o.order_id = t.order_id
where
  not (select rc.rebuilds_everything from run_context as rc)
  and o.event_type = 'order_placed';

-- competing_orders: the orders rule 12 elects among (every passing order, when rebuilding)
create or replace temp view competing_orders as
select
  o.seq,
  o.product_id,
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
  l.product_id,
  l.order_id,
  l.event_time,
  l.event_id
from touched_order_lines as l;

-- Their products are revisited from their time: whichever order won before or wins now.
insert into touched_products (product_id, since)
select
  product_id,
  min(event_time) as since
from touched_order_lines
group by product_id
on conflict (product_id) do update set since = least(touched_products.since, excluded.since);
analyze touched_products;

delete from order_winners as w
using touched_orders as t
where w.order_id = t.order_id;

insert into order_winners (order_id, seq)
with counted as (
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
