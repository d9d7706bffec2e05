-- Keeping staging's lookup indexes (0018) up to date row by row cost a first load more than
-- the load itself (1M lines: 3.4-5.1 s without them, 9.6-11.6 s with them). Building them
-- once after the load costs a fraction of that. Ingest sets them aside when it starts on an
-- empty staging table, and every ingest and every run first builds any that are missing (an
-- ingest killed in between leaves them missing, never wrong).

-- Drops staging's lookup indexes if staging is empty. Returns whether it did.
create function set_staging_lookups_aside() returns boolean
language plpgsql as $$
begin
  if exists (select 1 from stg_events) then
    return false;
  end if;
  drop index if exists stg_events_event_id;
  drop index if exists stg_events_product_time;
  drop index if exists stg_events_order_id;
  return true;
end;
$$;

-- Builds the lookup indexes that are missing; does nothing when all three are there.
create function build_staging_lookups() returns void
language plpgsql as $$
begin
  if to_regclass('stg_events_event_id') is null then
    create index stg_events_event_id on stg_events (event_id);
  end if;
  if to_regclass('stg_events_product_time') is null then
    create index stg_events_product_time on stg_events (product_id, event_time);
  end if;
  if to_regclass('stg_events_order_id') is null then
    create index stg_events_order_id on stg_events (order_id);
  end if;
end;
$$;
