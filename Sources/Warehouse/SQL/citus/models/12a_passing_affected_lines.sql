-- passing_affected_lines (Citus): as the single node's, with the affected lines' groups
-- read from their shards once, as two plain lists (as 03_passing_events): event_groups is
-- sharded by event_id, and Citus plans no correlated subquery into it from the run's
-- temporary tables. A line is the first line of at most one group, its own.
--
-- passing_affected_lines: the affected lines (incremental runs) that pass rules 1-11, as
-- passing_events reads them from staging. Read from affected_lines, whose row count the
-- planner knows, its group lookups are probes by key: through passing_events, a window's
-- lines were estimated by the hundred and event_groups was hashed whole.
--
-- reads: affected_lines, event_groups
-- writes: passing_affected_lines
create or replace temp view passing_affected_lines as
select
  a.seq, a.is_json, a.event_id, a.event_type, a.event_time, a.event_date, a.product_id,
  a.order_id, a.price_cents, a.category, a.quantity, a.content_reason
from affected_lines as a
where
  a.is_json
  and a.event_id is not null
  and a.content_reason is null
  and (
    -- no group row: the event_id was delivered once
    a.event_id not in (
      select g.event_id
      from event_groups as g
      where g.event_id in (select l.event_id from affected_lines as l)
    )
    -- or the first line of a group whose envelopes agree
    or a.seq in (
      select g.first_seq
      from event_groups as g
      where not g.conflicting and g.event_id in (select l.event_id from affected_lines as l)
    )
  );
