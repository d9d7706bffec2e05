-- affected_lines: the lines whose status may change in an incremental run: the new lines,
-- the lines of the groups whose candidate changed, of the touched order_ids, and of the
-- touched products inside their windows (judged_lines reads them, previous_sales and
-- priced_orders count their orders again).
--
-- reads: new_events, run_events, run_context, recandidated_groups, touched_orders,
--        touched_windows
-- writes: affected_lines
create temp table affected_lines on commit drop as
-- each part found by its own key (primary key, event_id, order_id, product and time); `union`
-- keeps a line found twice once
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from new_events as s
where not (select rc.rebuilds_everything from run_context as rc)
union
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from recandidated_groups as r
inner join run_events as s on r.event_id = s.event_id
union
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from touched_orders as o
inner join run_events as s on o.order_id = s.order_id
union
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from touched_windows as t
inner join run_events as s
  on t.product_id = s.product_id and s.event_time between t.since and t.until
where not (select rc.rebuilds_everything from run_context as rc);

alter table affected_lines add primary key (seq);
analyze affected_lines;
