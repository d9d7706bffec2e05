-- affected_lines: the lines whose status may change in an incremental run: the new lines,
-- the older lines of the groups whose candidate changed, the older passing orders of the
-- touched order_ids (rule 12 elects again among them; a line failing rules 1-11 keeps its
-- status), and the lines of the touched products inside their windows (judged_lines reads
-- them, previous_sales and priced_orders count their orders again).
--
-- reads: new_events, old_events, run_context, recandidated_groups, touched_order_lines,
--        touched_windows
-- writes: affected_lines
create temp table affected_lines on commit drop as
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from new_events as s
where not (select rc.rebuilds_everything from run_context as rc);

alter table affected_lines add primary key (seq);

-- the older lines inside the windows (by product and time). A product's windows neither
-- overlap nor meet, so each line is found once, and the new lines are above: a plain insert
-- (checking each for a conflict cost twice as much as writing it).
insert into affected_lines
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from touched_windows as t
inner join old_events as s
  on t.product_id = s.product_id and s.event_time between t.since and t.until
where not (select rc.rebuilds_everything from run_context as rc);

-- the older lines of the other two parts, each found by its own key, those not there yet
-- (a few dozen): a `union` with the windows' lines sized its hash by the planner's guess of
-- a window (hundreds of lines, where there are about twenty), and allocating it cost more
-- than the rest
insert into affected_lines
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from recandidated_groups as r
inner join old_events as s on r.event_id = s.event_id
where r.has_older_lines
union
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from touched_order_lines as o
inner join old_events as s on o.seq = s.seq
where o.seq <= (select rc.watermark_from from run_context as rc)  -- not probed for new ones
on conflict (seq) do nothing;
analyze affected_lines;
