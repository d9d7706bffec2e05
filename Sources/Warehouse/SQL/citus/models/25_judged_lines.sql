-- judged_lines (Citus): as the single node's, with the older lines' groups and winners read
-- from their shards once, by the affected lines' event_ids and order_ids, instead of a probe
-- per line: event_groups and order_winners are sharded by those keys, and Citus plans no
-- lateral lookup into them from the run's temporary tables.
--
-- judged_lines: the lines whose status may have changed, each with its group's first line
-- and whether its envelopes differ (null: an older line's event_id delivered once), and an
-- order with its order_id's winner (null: fewer than two passing orders). The run's new
-- lines (every line, when rebuilding) read the groups and winners this run worked out
-- (touched_groups, elected_orders); the lines before them that affected_lines holds again
-- (those of the groups whose candidate changed, of the touched order_ids, and of the
-- touched products inside their windows) look theirs up in event_groups and order_winners,
-- one probe by key each. The new lines are read through
-- new_events, whose bounds the planner knows, so it sizes what the statuses join by the
-- lines judged, not by staging.
--
-- reads: new_events, touched_groups, elected_orders, affected_lines, event_groups,
--        order_winners, run_context
-- writes: judged_lines
create or replace temp view judged_lines as
with affected_groups as materialized (
  select
    g.event_id,
    g.first_seq,
    g.conflicting
  from event_groups as g
  where g.event_id in (select l.event_id from affected_lines as l)
),

affected_winners as materialized (
  select
    w.order_id,
    w.seq
  from order_winners as w
  where
    w.order_id in (
      select l.order_id from affected_lines as l where l.event_type = 'order_placed'
    )
)

select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason,
  g.first_seq as group_first_seq, g.conflicting as group_conflicting, w.seq as winner_seq
from new_events as s
left join touched_groups as g on s.event_id = g.event_id
left join elected_orders as w on s.order_id = w.order_id and s.event_type = 'order_placed'
union all
select
  a.seq, a.is_json, a.event_id, a.event_type, a.event_time, a.event_date, a.product_id,
  a.order_id, a.price_cents, a.category, a.quantity, a.content_reason,
  g.first_seq as group_first_seq, g.conflicting as group_conflicting, w.seq as winner_seq
from affected_lines as a
left join affected_groups as g on a.event_id = g.event_id
left join affected_winners as w on a.order_id = w.order_id and a.event_type = 'order_placed'
where a.seq <= (select rc.watermark_from from run_context as rc);
