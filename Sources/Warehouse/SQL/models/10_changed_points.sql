-- changed_points: each product's instants where a state event changed: its group's
-- candidate changed (incremental runs). An order changes no state: its own status and
-- price are judged again through affected_lines, with those of its order_id's other
-- orders, and no other line's. `prices_only`: every state event changed at that instant is
-- a price update, which reaches no further than the next passing price update or creation
-- (changed_point_reaches).
--
-- reads: recandidated_group_lines
-- writes: changed_points
create temp table changed_points on commit drop as
select
  l.product_id,
  l.event_time,
  bool_and(l.event_type = 'price_updated') as prices_only
from recandidated_group_lines as l
where
  l.product_id is not null
  and l.event_time is not null
  and l.event_type in ('product_created', 'price_updated', 'product_discontinued')
group by l.product_id, l.event_time;

-- built once filled: a key filled row by row cost more than the rest of the model
alter table changed_points add primary key (product_id, event_time);
analyze changed_points;
