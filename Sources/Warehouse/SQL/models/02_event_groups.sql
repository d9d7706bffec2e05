-- event_groups: rules 1-3 (malformed_json, invalid_event_id, conflicting_duplicate).
-- Ingest staged every line (stg_events, parsed once, in Swift); models read the run's lines
-- through run_events. Only event_ids delivered more than once get a row: their first line,
-- and whether their envelopes differ (as jsonb compares them: a string payload decoded,
-- event_id lower-cased). Every other line is its own group's first line.
--
-- A run that rebuilds everything (run_context.rebuilds_everything: the first run, or a full
-- refresh) reads every line once; an incremental run only what its new lines touch. The
-- two cases are branches of one `union all`, each gated by the flag.
--
-- reads: run_events, run_context, touched_groups, raw_events
-- writes: event_groups
insert into event_groups (event_id, first_seq, conflicting)
with touched_lines as (
  -- the event_id of every line of a touched group (of any group, when rebuilding)
  select s.event_id
  from run_events as s
  where
    (select rc.rebuilds_everything from run_context as rc)
    and s.event_id is not null
  union all
  select s.event_id
  from run_events as s
  inner join touched_groups as t on s.event_id = t.event_id
  where not (select rc.rebuilds_everything from run_context as rc)
),

repeated as (
  select event_id
  from touched_lines
  group by event_id
  having count(*) > 1
),

members as (
  -- the only lines whose JSON is read again: a few in a hundred
  select
    s.event_id,
    s.seq,
    convert_from(r.raw_line, 'UTF8')::jsonb as line
  from run_events as s
  inner join repeated as g on s.event_id = g.event_id
  inner join raw_events as r on s.seq = r.seq
),

identities as (
  -- A group's lines share one UUID, written in its one 36-character form, so their event_ids
  -- lower-cased are equal: what may differ is the rest of the envelope and the decoded
  -- payload (a missing one compares as JSON null, as it did inside the envelope).
  select
    event_id,
    seq,
    line - 'event_id' - 'payload' as envelope,
    case
      when jsonb_typeof(line -> 'payload') = 'string' then (line ->> 'payload')::jsonb
      else coalesce(line -> 'payload', 'null')
    end as payload
  from members
)

select
  event_id,
  min(seq) as first_seq,
  count(distinct row(envelope, payload)) > 1 as conflicting
from identities
group by event_id
on conflict (event_id) do update
  set first_seq = excluded.first_seq, conflicting = excluded.conflicting;

select analyze_after_large_change('event_groups');
