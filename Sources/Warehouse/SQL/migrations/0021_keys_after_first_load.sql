-- A first load kept the primary keys of raw_events and stg_events up to date row by row:
-- at 1M lines each cost about 0.6 s of the load, where building it after the load costs
-- about 0.2 s. A first load (raw and staging both empty) now sets the keys aside with the
-- lookup indexes, and every ingest and every run first builds whatever is missing, as for
-- the lookups (0019).
--
-- Without raw's key, ingest no longer finds the next seq by max(seq) on raw_events, which
-- would scan the table once per batch: it reads it from ingest_batches, which records the
-- first seq and the line count of every batch in the transaction that appends its lines.
-- Seq stays unique by construction (one writer at a time holds the raw_events lock) and
-- the key built after the load checks it.

-- Drops staging's lookup indexes if staging is empty, and both tables' keys if raw is empty
-- too. Returns whether it dropped anything.
create or replace function set_staging_lookups_aside() returns boolean
language plpgsql as $$
begin
  if exists (select 1 from stg_events) then
    return false;
  end if;
  drop index if exists stg_events_event_id;
  drop index if exists stg_events_product_time;
  drop index if exists stg_events_order_id;
  if not exists (select 1 from raw_events) then
    alter table raw_events drop constraint if exists raw_events_pkey;
    alter table stg_events drop constraint if exists stg_events_pkey;
  end if;
  return true;
end;
$$;

-- Builds the keys and lookup indexes that are missing; does nothing when all are there.
create or replace function build_staging_lookups() returns void
language plpgsql as $$
begin
  if to_regclass('raw_events_pkey') is null then
    alter table raw_events add constraint raw_events_pkey primary key (seq);
  end if;
  if to_regclass('stg_events_pkey') is null then
    alter table stg_events add constraint stg_events_pkey primary key (seq);
  end if;
  if to_regclass('stg_events_event_id') is null then
    create index stg_events_event_id on stg_events (event_id);
  end if;
  if to_regclass('stg_events_product_time') is null then
    create index stg_events_product_time on stg_events (product_id, event_time);
  end if;
  if to_regclass('stg_events_order_id') is null then
    create index stg_events_order_id on stg_events (order_id) where order_id is not null;
  end if;
end;
$$;
