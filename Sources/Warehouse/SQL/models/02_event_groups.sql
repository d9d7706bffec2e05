-- event_groups: rules 1-3 (malformed_json, invalid_event_id, conflicting_duplicate), per
-- event_id delivered more than once: its first line, and whether its envelopes differ (as
-- jsonb compares them: a string payload decoded, event_id lower-cased). Every other line is
-- its own group's first line. Ingest staged every line (stg_events, parsed once, in
-- Swift); touched_groups worked the run's groups out from their lines, and this stores the
-- repeated ones for later runs and for older lines judged again.
--
-- reads: touched_groups
-- writes: event_groups
insert into event_groups (event_id, first_seq, conflicting)
select
  event_id,
  first_seq,
  conflicting
from touched_groups
where repeated
on conflict (event_id) do update
  set first_seq = excluded.first_seq, conflicting = excluded.conflicting;

select analyze_after_large_change('event_groups');
