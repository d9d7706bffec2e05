-- raw_events_v1 failed under some plans: its JSON expressions read only raw_events, so the
-- planner could evaluate them (pushed down with the view's filters, or a caller's) on lines
-- staging had found unreadable, before the join with staging filtered them out ("Unicode
-- low surrogate must follow a high surrogate" after ANALYZE chose another join). Each
-- expression that can fail now depends on staging's verdict (`s.is_json`) or on the check
-- it needs, inside a `case`, so no plan evaluates it on a line it cannot read. Columns and
-- rows are unchanged.
create or replace view raw_events_v1 as
with lines as (
  select
    r.ingested_at,
    case when s.is_json then convert_from(r.raw_line, 'UTF8')::jsonb end as line
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
  case
    when event_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      then event_id::uuid
  end as event_id,
  event_type::varchar(50) as event_type,
  parse_event_timestamp(event_timestamp) at time zone 'UTC' as event_timestamp,
  (ingested_at at time zone 'UTC') as ingestion_timestamp,
  source::varchar(50) as source,
  payload
from envelopes
where event_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  and coalesce(length(event_type), 0) <= 50
  and coalesce(length(source), 0) <= 50;
