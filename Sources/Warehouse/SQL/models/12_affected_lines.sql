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
-- each part found by its own key (primary key, event_id): the new lines once, then the older
-- lines of the other two parts, where `union` keeps a line found twice once (a union of
-- every part hashed the ten thousand new lines to find a few dozen duplicates)
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from new_events as s
where not (select rc.rebuilds_everything from run_context as rc)
union all
(
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
);

alter table affected_lines add primary key (seq);

-- the older lines inside the windows (by product and time), those not there yet: a `union`
-- with them sized its hash by the planner's guess of a window (hundreds of lines, where there
-- are about twenty), and allocating it cost more than the rest. The new lines are above:
-- most windows start at a new line, and checking them again cost most of the insert.
insert into affected_lines
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from touched_windows as t
inner join old_events as s
  on t.product_id = s.product_id and s.event_time between t.since and t.until
where not (select rc.rebuilds_everything from run_context as rc)
on conflict (seq) do nothing;
analyze affected_lines;
