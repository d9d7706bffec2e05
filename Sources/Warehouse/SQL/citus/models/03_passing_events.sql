-- passing_events (Citus): as the single node's, but staging (sharded by line) and
-- event_groups (the coordinator's) are not co-located, and Citus plans no correlated
-- subquery across them. Each set of event_ids is read once on the coordinator and sent to
-- the shards, which filter their lines with it.
--
-- reads: run_events, event_groups
-- writes: passing_events
create or replace temp view passing_events as
select
  s.seq, s.is_json, s.event_id, s.event_type, s.event_time, s.event_date, s.product_id,
  s.order_id, s.price_cents, s.category, s.quantity, s.content_reason
from run_events as s
where
  s.is_json
  and s.event_id is not null
  and s.content_reason is null
  and (
    -- no group row: the event_id was delivered once
    s.event_id not in (select g.event_id from event_groups as g)
    -- or the first line of a group whose envelopes agree
    or s.seq in (select g.first_seq from event_groups as g where not g.conflicting)
  );
