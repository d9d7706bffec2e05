-- affected_lines: the lines whose status may change in an incremental run: the new lines,
-- the older lines of the groups whose candidate changed, the older passing orders of the
-- touched order_ids (rule 12 elects again among them; a line failing rules 1-11 keeps its
-- status), and the lines of the touched products inside their windows (judged_lines reads
-- them, previous_sales and priced_orders count their orders again).
--
-- reads: new_events, run_events, run_context, recandidated_groups, touched_order_lines,
--        touched_windows
-- writes: affected_lines
create temp table affected_lines on commit drop as
-- each part found by its own key (primary key, event_id); `union` keeps a line found twice
-- once
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
where r.has_older_lines  -- a group's new lines are among the new lines above
union
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from touched_order_lines as o
inner join run_events as s on o.seq = s.seq
where o.seq <= (select rc.watermark_from from run_context as rc);  -- the new ones are above

alter table affected_lines add primary key (seq);

-- the lines inside the windows (by product and time), those not there yet: a `union` with
-- them sized its hash by the planner's guess of a window (hundreds of lines, where there are
-- about twenty), and allocating it cost more than the rest
insert into affected_lines
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from touched_windows as t
inner join run_events as s
  on t.product_id = s.product_id and s.event_time between t.since and t.until
where not (select rc.rebuilds_everything from run_context as rc)
on conflict (seq) do nothing;
analyze affected_lines;
