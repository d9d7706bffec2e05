-- touched_groups (Citus): as the single node's, with a rebuild's repeated event_ids found
-- by grouping every event_id and their lines joined, not counted along staging's event_id
-- index and probed by key: that is a lateral join from a work relation into sharded tables,
-- which Citus does not plan (decision 84).
--
-- reads: new_events, run_events, run_context, raw_events
-- writes: touched_groups
create temp table touched_groups on commit drop as
with new_event_ids as (
  select distinct s.event_id
  from new_events as s
  where
    not (select rc.rebuilds_everything from run_context as rc)
    and s.event_id is not null
),

touched_lines as (
  -- every line of a touched event_id (of every event_id, when rebuilding)
  select
    s.event_id,
    s.seq
  from run_events as s
  where
    (select rc.rebuilds_everything from run_context as rc)
    and s.event_id is not null
  union all
  select
    s.event_id,
    s.seq
  from run_events as s
  inner join new_event_ids as n on s.event_id = n.event_id
),

groups as (
  -- a rebuild keeps the repeated event_ids only: every other line is its own group's first
  select
    event_id,
    count(*) as line_count,
    min(seq) as first_seq
  from touched_lines
  group by event_id
  having count(*) > 1 or not (select rc.rebuilds_everything from run_context as rc)
),

members as (
  -- the only lines whose JSON is read again: those of repeated groups, a few in a hundred
  select
    s.event_id,
    s.seq,
    convert_from(r.raw_line, 'UTF8')::jsonb as line
  from groups as g
  inner join run_events as s on g.event_id = s.event_id
  inner join raw_events as r on s.seq = r.seq
  where g.line_count > 1
),

identities as (
  select
    event_id,
    seq,
    line - 'event_id' - 'payload' as envelope,
    case
      when jsonb_typeof(line -> 'payload') = 'string' then (line ->> 'payload')::jsonb
      else coalesce(line -> 'payload', 'null')
    end as payload
  from members
),

compared as (
  select
    event_id,
    count(distinct row(envelope, payload)) > 1 as conflicting,
    count(distinct row(envelope, payload)) filter (
      where seq <= (select rc.watermark_from from run_context as rc)
    ) > 1 as was_conflicting
  from identities
  group by event_id
)

select
  g.event_id,
  g.first_seq,
  g.line_count > 1 as repeated,
  coalesce(c.conflicting, false) as conflicting,
  coalesce(c.was_conflicting, false) as was_conflicting
from groups as g
left join compared as c on g.event_id = c.event_id;

alter table touched_groups add primary key (event_id);
analyze touched_groups;
