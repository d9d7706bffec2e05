-- Parse once, at the edge: ingest now stages every line itself (the pipeline's own parser,
-- in Swift) into stg_events, in the transaction that appends it to raw_events, so no model
-- parses JSON any more. raw_events keeps each line's bytes; the decoded envelope, the
-- payload and the tokens (three more copies of every line) go.
drop view raw_events_v1;

alter table raw_events
  drop column is_json,
  drop column event_id,
  drop column event_type,
  drop column event_timestamp,
  drop column source,
  drop column payload,
  drop column tokens;

-- Raw lines waiting to be staged: (after_seq, through_seq]. Ingest stages as it appends;
-- this holds what was ingested before this migration but never run, and what
-- `run --reparse` asks for. A run stages these ranges first, then deletes them.
create table staging_backlog (
  after_seq   bigint not null,
  through_seq bigint not null,
  check (after_seq < through_seq)
);

insert into staging_backlog (after_seq, through_seq)
select staged.last_staged, raw.last_raw
from (select coalesce(max(seq), 0) as last_staged from stg_events) as staged,
  (select coalesce(max(seq), 0) as last_raw from raw_events) as raw
where staged.last_staged < raw.last_raw;

-- The original project's raw table, for the lines that fit its columns, so the original
-- dbt models can still read it. Read from the bytes (a JSON object jsonb stores, which
-- staging has checked), only by the examples.
create view raw_events_v1 as
with lines as (
  select
    r.ingested_at,
    convert_from(r.raw_line, 'UTF8')::jsonb as line
  from raw_events as r
  inner join stg_events as s on r.seq = s.seq
  where s.is_json
),

envelopes as (
  select
    ingested_at,
    case when jsonb_typeof(line -> 'event_id') = 'string' then line ->> 'event_id' end
      as event_id,
    case when jsonb_typeof(line -> 'event_type') = 'string' then line ->> 'event_type' end
      as event_type,
    case when jsonb_typeof(line -> 'event_timestamp') = 'string'
        then line ->> 'event_timestamp' end as event_timestamp,
    case when jsonb_typeof(line -> 'source') = 'string' then line ->> 'source' end as source,
    case when jsonb_typeof(line -> 'payload') = 'string' then (line ->> 'payload')::jsonb
      else line -> 'payload' end as payload
  from lines
)

-- the original table's column order, casts and all
select  -- noqa: ST06
  event_id::uuid as event_id,
  event_type::varchar(50) as event_type,
  parse_event_timestamp(event_timestamp) at time zone 'UTC' as event_timestamp,
  (ingested_at at time zone 'UTC') as ingestion_timestamp,
  source::varchar(50) as source,
  payload
from envelopes
where event_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  and coalesce(length(event_type), 0) <= 50
  and coalesce(length(source), 0) <= 50;

-- Statistics for the models that follow: analyze `target` when the run changed a good part
-- of it (its new lines are at least a tenth of its rows). analyze samples a fixed number of
-- rows, a cost a small incremental run should not pay.
create function analyze_after_large_change(target regclass) returns void
language plpgsql as $$
begin
  if (select rc.watermark_to - rc.watermark_from from run_context as rc) * 10
       >= (select greatest(c.reltuples, 0) from pg_class as c where c.oid = target) then
    execute format('analyze %s', target);
  end if;
end;
$$;
