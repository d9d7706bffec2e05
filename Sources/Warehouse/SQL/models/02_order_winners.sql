-- order_winners: rule 12 (duplicate_order). Of the orders passing rules 1-11 that share an
-- order_id, the earliest (event time, then event_id) is kept. Only order_ids with more than
-- one passing order get a row. The products of every passing order of a touched order_id
-- are revisited from its time: whichever won before or wins now.
insert into touched_products (product_id, since)
select
  o.product_id,
  min(o.event_time) as since
from passing_events as o
inner join touched_orders as t on o.order_id = t.order_id
where o.event_type = 'order_placed'
group by o.product_id
on conflict (product_id) do update set since = least(touched_products.since, excluded.since);
analyze touched_products;

delete from order_winners as w
using touched_orders as t
where w.order_id = t.order_id;

insert into order_winners (order_id, seq)
with passing_orders as (
  select
    o.order_id,
    o.seq,
    o.event_time,
    o.event_id,
    count(*) over (partition by o.order_id) as orders_with_id
  from passing_events as o
  inner join touched_orders as t on o.order_id = t.order_id
  where o.event_type = 'order_placed'
)

select distinct on (order_id)
  order_id,
  seq
from passing_orders
where orders_with_id > 1
order by order_id, event_time, event_id;
