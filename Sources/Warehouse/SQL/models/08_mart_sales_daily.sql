-- mart_sales_daily: per event date and touched product (from the day of `since`), the
-- accepted orders priced at the version valid at each order's event time (priced_orders).
delete from mart_sales_daily as m
using touched_products as t
where m.product_id = t.product_id and m.event_date >= (t.since at time zone 'UTC')::date;

insert into mart_sales_daily (event_date, product_id, orders, units, revenue)
select
  event_date,
  product_id,
  count(*) as orders,
  sum(quantity) as units,
  sum(quantity * price) as revenue
from priced_orders
where price is not null
group by event_date, product_id;
