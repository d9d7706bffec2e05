-- changed_point_reaches (Citus): each changed point probes reset_events, which 10a read
-- from the shards into a temporary table. The single node's shortcut for the points after
-- every older line of their product looks that line up in staging by a correlated
-- subquery, which Citus does not plan (as 10a).
--
-- reads: changed_points, reset_events
-- writes: changed_point_reaches
create temp table changed_point_reaches on commit drop as
select
  p.product_id,
  p.event_time as since,
  coalesce(
    (
      select c.event_time
      from reset_events as c
      where
        c.product_id = p.product_id
        and c.event_time > p.event_time
        and (c.is_creation or p.prices_only)
      order by c.event_time
      limit 1
    ),
    'infinity'
  ) as until
from changed_points as p;
analyze changed_point_reaches;
