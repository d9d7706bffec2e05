-- rule 12 (duplicate_order): of the orders passing rules 1-11 that share an order_id, the
-- earliest (event time, then event_id) is kept. Products of old and new winners are revisited.
insert into touched_products
select s.product_id, min(s.event_time)
from order_winners as w
join touched_orders using (order_id)
join stg_events as s on w.seq = s.seq
group by s.product_id
on conflict (product_id) do update set since = least(touched_products.since, excluded.since);

delete from order_winners w using touched_orders t where w.order_id = t.order_id;

insert into order_winners (order_id, seq)
select distinct on (s.order_id) s.order_id, s.seq
from stg_events as s
join touched_orders using (order_id)
join event_groups as g on s.seq = g.first_seq and not g.conflicting
where s.event_type = 'order_placed' and s.content_reason is null
order by s.order_id, s.event_time, s.event_id;

insert into touched_products
select s.product_id, min(s.event_time)
from order_winners as w
join touched_orders using (order_id)
join stg_events as s on w.seq = s.seq
group by s.product_id
on conflict (product_id) do update set since = least(touched_products.since, excluded.since);
analyze touched_products;
