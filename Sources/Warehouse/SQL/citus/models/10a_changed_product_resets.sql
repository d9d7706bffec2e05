-- changed_product_resets (Citus only): the events that end a changed point's reach, for the
-- products with a changed point, read from the shards once: their passing creations, and
-- their passing price updates that applied (`is_creation` false), from the earliest changed
-- point on. touched_windows looks them up on the coordinator: Citus plans no correlated
-- subquery between a coordinator table and a sharded one.
--
-- reads: passing_events, state_event_orphans, changed_points
-- writes: changed_product_resets
create temp table changed_product_resets on commit drop as
select
  c.product_id,
  c.event_time,
  c.event_type = 'product_created' as is_creation
from passing_events as c
where
  c.product_id in (select p.product_id from changed_points as p)
  and c.event_time > (select min(p.event_time) from changed_points as p)
  and (
    c.event_type = 'product_created'
    or (
      c.event_type = 'price_updated'
      -- co-located with staging by seq: each shard answers from its own
      and not exists (select 1 from state_event_orphans as o where o.seq = c.seq)
    )
  );
create index on changed_product_resets (product_id, event_time);
analyze changed_product_resets;
