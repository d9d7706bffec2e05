-- changed_points: each product's instants where a line changed: its group's candidate
-- changed, or its order_id elects again (incremental runs).
--
-- reads: recandidated_group_lines, touched_order_lines
-- writes: changed_points
create temp table changed_points (
  product_id bigint not null,
  event_time timestamptz not null,
  primary key (product_id, event_time)
) on commit drop;

insert into changed_points (product_id, event_time)
select
  l.product_id,
  l.event_time
from recandidated_group_lines as l
where l.product_id is not null and l.event_time is not null
union
select
  o.product_id,
  o.event_time
from touched_order_lines as o
where o.product_id is not null;
analyze changed_points;
