-- changed_product_creations (Citus only): the passing creations of the products with a
-- changed point, read from the shards once. touched_windows walks them on the coordinator:
-- Citus runs no recursive query that reads a sharded table.
--
-- reads: passing_events, changed_points
-- writes: changed_product_creations
create temp table changed_product_creations on commit drop as
select
  c.product_id,
  c.event_time
from passing_events as c
where
  c.event_type = 'product_created'
  and c.product_id in (select p.product_id from changed_points as p);
create index on changed_product_creations (product_id, event_time);
analyze changed_product_creations;
