-- event_groups: rules 1-3 (malformed_json, invalid_event_id, conflicting_duplicate).
-- Ingest staged every line (stg_events, parsed once, in Swift); models read the run's lines
-- through run_events. Only event_ids delivered more than once get a row: their first line,
-- and whether their envelopes differ (as jsonb compares them: a string payload decoded,
-- event_id lower-cased). Every other line is its own group's first line.
--
-- A run that rebuilds everything (run_context.rebuilds_everything: the first run, or a full
-- refresh) reads every line once; an incremental run only what its new lines touch. The
-- two cases are branches of one `union all`, each gated by the flag.
select analyze_after_large_change('stg_events');

-- touched_groups: the event_ids of an incremental run's new lines.
create temp table touched_groups on commit drop as
select distinct s.event_id
from run_events as s
where
  not (select rc.rebuilds_everything from run_context as rc)
  and s.seq > (select rc.watermark_from from run_context as rc)
  and s.event_id is not null;
analyze touched_groups;

-- the touched groups already conflicting before this run (their candidate cannot change)
create temp table conflicting_before on commit drop as
select g.event_id
from event_groups as g
inner join touched_groups as t on g.event_id = t.event_id
where g.conflicting;

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

-- passing_events: the lines that pass rules 1-11 (the first line of a group whose
-- envelopes agree, and nothing wrong in its own content). Rules 12 and 13 judge these. One
-- pass over the lines: a line passes rules 1-3 unless its group has a row that rules it out
-- (the group conflicts, or its first line is another).
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

-- recandidated_groups: the touched groups whose candidate changed: new groups (every line
-- from this run) and groups that have just become conflicting. A redelivery that agrees with
-- its group changes nothing beyond its own status.
create temp table recandidated_groups on commit drop as
select t.event_id
from touched_groups as t
left join event_groups as g on t.event_id = g.event_id
where
  g.event_id is null
  or g.first_seq > (select rc.watermark_from from run_context as rc)
  or (
    g.conflicting
    and not exists (select 1 from conflicting_before as c where c.event_id = t.event_id)
  );
analyze recandidated_groups;

-- recandidated_group_lines: the lines of such groups, read once (incremental runs; a rebuild
-- reads every line instead).
create temp table recandidated_group_lines on commit drop as
select
  s.product_id,
  s.event_time,
  s.order_id,
  s.event_type
from run_events as s
inner join recandidated_groups as r on s.event_id = r.event_id
where not (select rc.rebuilds_everything from run_context as rc);

-- touched_products: the products of those groups, each from the earliest event time it may
-- have changed at (`since`). Every product with a line, when rebuilding. 03_product_history
-- narrows each product to the windows of time that can change (touched_windows).
create temp table touched_products (
  product_id bigint primary key,
  since timestamptz not null
) on commit drop;

insert into touched_products (product_id, since)
with product_lines as (
  select
    s.product_id,
    s.event_time
  from run_events as s
  where
    (select rc.rebuilds_everything from run_context as rc)
    and s.event_id is not null
  union all
  select
    l.product_id,
    l.event_time
  from recandidated_group_lines as l
)

select
  product_id,
  coalesce(min(event_time), 'infinity') as since
from product_lines
where product_id is not null
group by product_id;

-- touched_orders: the order_ids of those groups (incremental runs; a rebuild judges every
-- order_id).
create temp table touched_orders (order_id text primary key) on commit drop;

insert into touched_orders (order_id)
select distinct order_id
from recandidated_group_lines
where order_id is not null and event_type = 'order_placed';
analyze touched_orders;
