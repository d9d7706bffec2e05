-- severity: error
-- Every version the run wrote is caused by an accepted state event of its own product, at
-- its start. (Citus: the versions' causes are read from the shards once, by their
-- event_ids, instead of one lateral probe of sharded staging per version: Citus ran those
-- as 113 s of an incremental run at 1M lines.) After a run that read every line
-- (`tested_raw` from 0), all versions are checked; after an incremental run, those inside
-- the windows.
with versions as materialized (
  select
    product_id,
    valid_from,
    event_id
  from tested_versions
  where place = 'inside'
),

causes as materialized (
  -- the accepted state events (no exception stored) among the versions' event_ids
  select
    s.product_id,
    s.event_id,
    s.event_time
  from stg_events as s
  where
    s.event_id in (select v.event_id from versions as v)
    and s.event_type in ('product_created', 'price_updated', 'product_discontinued')
    and s.seq <= (select rc.watermark_to from run_context as rc)
    and not exists (select 1 from line_exceptions as e where e.seq = s.seq)
)

select
  v.product_id,
  v.valid_from,
  v.event_id
from versions as v
where not exists (
  select 1
  from causes as a
  where
    a.event_id = v.event_id and a.product_id = v.product_id and a.event_time = v.valid_from
)
