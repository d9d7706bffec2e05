-- touched_products (rebuilds): every product with a line, from its earliest event time
-- (`since`). An incremental run finds its products through changed_points instead, and
-- leaves this empty.
--
-- reads: run_events, run_context
-- writes: touched_products
create temp table touched_products (
  product_id bigint primary key,
  since timestamptz not null
) on commit drop;

insert into touched_products (product_id, since)
select
  s.product_id,
  coalesce(min(s.event_time), 'infinity') as since
from run_events as s
where
  (select rc.rebuilds_everything from run_context as rc)
  and s.event_id is not null
  and s.product_id is not null
group by s.product_id;
analyze touched_products;
