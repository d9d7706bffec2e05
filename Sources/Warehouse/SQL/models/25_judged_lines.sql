-- judged_lines: the lines whose status may have changed: the run's new lines (every line,
-- when rebuilding) and the lines before them that affected_lines holds again: those of the
-- groups whose candidate changed, of the touched order_ids, and of the touched products
-- inside their windows. The new lines are read through new_events, whose bounds the planner
-- knows, so it sizes what the statuses join by the lines judged, not by staging.
--
-- reads: new_events, affected_lines, run_context
-- writes: judged_lines
create or replace temp view judged_lines as
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from new_events as s
union all
select
  a.seq, a.is_json, a.event_id, a.event_type, a.event_time, a.event_date, a.product_id,
  a.order_id, a.price_cents, a.category, a.quantity, a.content_reason
from affected_lines as a
where a.seq <= (select rc.watermark_from from run_context as rc);
