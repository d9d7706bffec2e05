-- touched_products (rebuilds): every product with a line, from its earliest event time
-- (`since`). An incremental run finds its products through changed_points instead, and
-- leaves this empty. Created from its select over new_events (every line when rebuilding),
-- so that a rebuild scans staging with workers and an incremental run starts none
-- (decision 87).
--
-- reads: new_events, run_context
-- writes: touched_products
create temp table touched_products on commit drop as
select
  s.product_id,
  coalesce(min(s.event_time), 'infinity') as since
from new_events as s  -- every line, when rebuilding
where
  (select rc.rebuilds_everything from run_context as rc)
  and s.event_id is not null
  and s.product_id is not null
group by s.product_id;

alter table touched_products add primary key (product_id), alter column since set not null;
analyze touched_products;
