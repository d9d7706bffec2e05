-- touched_groups: rules 1-3 for the groups of an incremental run's new lines (for every
-- event_id delivered more than once, when rebuilding), worked out once from all their
-- lines: the first line, whether their envelopes differ, and whether they differed before
-- the run (among the lines up to its watermark). event_groups stores the repeated ones;
-- recandidated_groups and judged_lines read a new line's group here, not by hashing
-- event_groups, which grows with the log.
--
-- A group's lines share one UUID, written in its one 36-character form, so their event_ids
-- lower-cased are equal: what may differ is the rest of the envelope and the decoded
-- payload (a missing one compares as JSON null, as it did inside the envelope).
--
-- reads: new_events, run_events, run_context, raw_events
-- writes: touched_groups
create temp table touched_groups on commit drop as
with new_event_ids as (
  -- in the order of staging's event_id index, which each is looked up in: consecutive
  -- probes then walk its pages in turn, as the cache holds them
  select distinct s.event_id
  from new_events as s
  where
    not (select rc.rebuilds_everything from run_context as rc)
    and s.event_id is not null
  order by s.event_id
),

repeated_event_ids as (
  -- a rebuild keeps the repeated event_ids only: every other line is its own group's first.
  -- Counted in the order of staging's event_id index, read alone (the engine vacuums
  -- staging before a rebuild, so the index answers without the table): hashing every
  -- event_id cost three times as much, and spilled to disk at 10M lines.
  select o.event_id
  from (
    select s.event_id
    from run_events as s
    where
      (select rc.rebuilds_everything from run_context as rc)
      and s.event_id is not null
    order by s.event_id
  ) as o
  group by o.event_id
  having count(*) > 1
),

touched_lines as (
  -- every line of a touched event_id (of every repeated one, when rebuilding)
  select
    r.event_id,
    l.seq
  from repeated_event_ids as r
  cross join lateral (
    -- probed by key: the planner cannot know how few event_ids repeat, and hashed all of
    -- staging
    select s.seq
    from run_events as s
    where s.event_id = r.event_id
    order by s.seq
  ) as l
  union all
  select
    s.event_id,
    s.seq
  from run_events as s
  inner join new_event_ids as n on s.event_id = n.event_id
),

groups as (
  select
    event_id,
    count(*) as line_count,
    min(seq) as first_seq
  from touched_lines
  group by event_id
),

members as (
  -- the only lines whose JSON is read again: those of repeated groups, a few in a hundred
  select
    s.event_id,
    s.seq,
    convert_from(r.raw_line, 'UTF8')::jsonb as line
  from (
    -- in raw's order, so that each of its pages is read once and in turn (at 10M lines
    -- 457,000 lines of 227,000 groups: 12.0 -> 10.3 s for the model)
    select
      t.event_id,
      t.seq
    from groups as g
    inner join touched_lines as t on g.event_id = t.event_id
    where g.line_count > 1
    order by t.seq
  ) as s
  cross join lateral (
    -- by key, as above
    select l.raw_line
    from raw_events as l
    where l.seq = s.seq
    order by l.seq
    limit 1
  ) as r
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
