-- On Citus a first load keeps raw's and staging's primary keys (common migration 0021 sets
-- them aside on one node). Ingest numbers each batch from raw's max(seq) there: that read
-- of every shard gives the batch's transaction a connection per shard, over which the
-- COPY then streams to all shards at once, and without the key it would scan every shard
-- once per batch. Setting the keys aside gained nothing measurable on Citus (990,000
-- lines: 10.4 and 12.5 s kept, 11.0 and 11.6 s set aside).

-- Drops staging's lookup indexes if staging is empty. Returns whether it did.
create or replace function set_staging_lookups_aside() returns boolean
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
