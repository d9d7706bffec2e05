-- touched_products (rebuilds): every product with a line, from its earliest event time
-- (`since`). An incremental run finds its products through changed_points instead, and
-- leaves this empty. Created from its select, not filled by an insert, so that a rebuild
-- reads staging with parallel workers (PostgreSQL 15 runs no `insert ... select` in
-- parallel). It reads new_events, all lines when rebuilding, not run_events: over a
-- scan of every line, the planner started workers in incremental runs too, only for the
-- gate to stop them.
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
