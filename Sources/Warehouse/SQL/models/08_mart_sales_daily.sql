-- mart_sales_daily: per event date and touched product, the accepted orders priced at the
-- version valid at each order's event time (an as-of join on the history).
delete from mart_sales_daily m using touched_products t
where m.product_id = t.product_id and m.event_date >= (t.since at time zone 'UTC')::date;

insert into mart_sales_daily
select
  s.event_date,
  s.product_id,
  count(*),
  sum(s.quantity),
  sum(s.quantity * h.price)
from stg_events as s
join touched_products as t using (product_id)
join line_status as l on s.seq = l.seq and l.status = 'accepted'
join product_history as h
  on s.product_id = h.product_id and tstzrange(h.valid_from, h.valid_to) @> s.event_time
where s.event_type = 'order_placed' and s.event_date >= (t.since at time zone 'UTC')::date
group by s.event_date, s.product_id;
