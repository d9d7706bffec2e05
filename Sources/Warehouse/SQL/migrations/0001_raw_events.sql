-- Raw layer: every delivered line, byte for byte, append-only.

create table ingest_batches (
  batch_id          bigint generated always as identity primary key,
  file_key          text        not null,  -- content identity: hash of the first 64 KiB
  file_name         text        not null,  -- as given on the command line, for people
  byte_start        bigint      not null,  -- [byte_start, byte_end) of the input
  byte_end          bigint      not null,
  content_hash      text        not null,  -- FNV-1a 64 of the batch's bytes
  ends_with_newline boolean     not null,
  first_seq         bigint      not null,
  line_count        integer     not null,
  ingested_at       timestamptz not null default now(),
  unique (file_key, byte_start)
);

create table raw_events (
  seq             bigint      primary key,  -- 1-based position in the global delivery order
  raw_line        bytea       not null,     -- the line's exact bytes, without its \n
  is_json         boolean     not null,     -- a JSON object jsonb stores, with an object payload
  event_id        text,                     -- the envelope's members, decoded, where strings
  event_type      text,
  event_timestamp text,                     -- a string's contents, or a number as written
  source          text,
  payload         jsonb,                    -- the payload object (a double-encoded one decoded)
  tokens          jsonb,                    -- each field the rules read, as its JSON token was
                                            -- written (jsonb turns 1e3 into 1000; the rules
                                            -- need to see the exponent)
  batch_id        bigint      not null,     -- ingest_batches.batch_id (no foreign key: a
                                            -- per-row check would halve ingest speed, and
                                            -- both rows are written in one transaction)
  ingested_at     timestamptz not null default now()
);

-- Append-only: rows are never changed or removed.
create function raw_events_refuse_change() returns trigger
language plpgsql as $$
begin
  raise exception 'raw_events is append-only (% refused)', tg_op
    using errcode = 'insufficient_privilege';
end;
$$;

create trigger raw_events_append_only
  before update or delete on raw_events
  for each row execute function raw_events_refuse_change();

create trigger raw_events_no_truncate
  before truncate on raw_events
  for each statement execute function raw_events_refuse_change();

-- The contract's timestamp rule: YYYY-MM-DD, T or one space, HH:MM:SS, up to 6 fraction
-- digits, then Z, ±hh:mm or nothing (UTC); every field in range.
create function parse_event_timestamp(value text) returns timestamptz
language plpgsql immutable strict parallel safe as $$
declare
  m text[];
  local timestamp;
  micros bigint;
begin
  m := regexp_match(value,
    '^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z|([+-])(\d{2}):(\d{2}))?$');
  if m is null or m[1]::int < 1 or m[4]::int > 23 or m[5]::int > 59 or m[6]::int > 59
     or (m[9] is not null and (m[10]::int > 23 or m[11]::int > 59)) then
    return null;
  end if;
  begin
    local := make_date(m[1]::int, m[2]::int, m[3]::int)::timestamp;
  exception when others then
    return null;  -- 30 February and the like
  end;
  micros := ((m[4]::bigint * 60 + m[5]::bigint) * 60 + m[6]::bigint) * 1000000
    + coalesce(rpad(m[7], 6, '0')::bigint, 0);
  local := local + micros * interval '1 microsecond';
  if m[9] is not null then
    local := local - (case m[9] when '-' then -1 else 1 end)
      * (m[10]::int * interval '1 hour' + m[11]::int * interval '1 minute');
  end if;
  return local at time zone 'UTC';
end;
$$;

-- The original project's raw table, for the lines that fit its columns, so the original
-- dbt models can still read it.
create view raw_events_v1 as
select
  event_id::uuid                          as event_id,
  event_type::varchar(50)                 as event_type,
  parse_event_timestamp(event_timestamp) at time zone 'UTC' as event_timestamp,
  (ingested_at at time zone 'UTC')        as ingestion_timestamp,
  source::varchar(50)                     as source,
  payload                                 as payload
from raw_events
where is_json
  and event_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  and coalesce(length(event_type), 0) <= 50
  and coalesce(length(source), 0) <= 50;
