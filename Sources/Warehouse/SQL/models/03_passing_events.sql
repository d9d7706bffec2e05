-- passing_events: the lines that pass rules 1-11 (the first line of a group whose
-- envelopes agree, and nothing wrong in its own content). Rules 12 and 13 judge these. One
-- pass over the lines: a line passes rules 1-3 unless its group has a row that rules it out
-- (the group conflicts, or its first line is another).
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
  and not exists (
    select 1
    from event_groups as g
    where g.event_id = s.event_id and (g.conflicting or g.first_seq <> s.seq)
  );
