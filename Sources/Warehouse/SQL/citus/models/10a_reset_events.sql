-- reset_events (Citus): as the single node's view, but read from the shards once into a
-- temporary table, for the products with a changed point and from the earliest changed
-- point on: Citus plans no correlated subquery between a coordinator table and a sharded
-- one, and touched_windows looks these up once per changed point.
--
-- reads: passing_events, changed_points
-- writes: reset_events
create temp table reset_events on commit drop as
select
  c.product_id,
  c.event_time,
  c.event_type = 'product_created' as is_creation
from passing_events as c
where
  c.product_id in (select p.product_id from changed_points as p)
  and c.event_time > (select min(p.event_time) from changed_points as p)
  and c.event_type in ('product_created', 'price_updated');
create index on reset_events (product_id, event_time);
analyze reset_events;
