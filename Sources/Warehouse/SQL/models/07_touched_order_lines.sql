-- touched_order_lines: the passing orders of the touched order_ids, read once (incremental
-- runs).
--
-- reads: passing_events, touched_orders, run_context
-- writes: touched_order_lines
create temp table touched_order_lines on commit drop as
select
  o.seq,
  o.order_id,
  o.event_time,
  o.event_id
from passing_events as o
inner join touched_orders as t on o.order_id = t.order_id
where
  not (select rc.rebuilds_everything from run_context as rc)
  and o.event_type = 'order_placed';
