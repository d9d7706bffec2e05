-- severity: error
-- Every version the run wrote is caused by an accepted state event of its own product, at
-- its start (each cause looked up by its event_id).
with versions as materialized (
  select
    h.product_id,
    h.valid_from,
    h.event_id
  from tested_windows as t
  inner join product_versions as h
    on t.product_id = h.product_id and h.valid_from between t.since and t.until
)

select
  v.product_id,
  v.valid_from,
  v.event_id
from versions as v
left join lateral (
  -- no exception stored: accepted, if judged (`limit 1`: one probe of the event_id index
  -- per version, where an anti-join hashed all of staging)
  select 1 as found
  from stg_events as s
  where
    s.event_id = v.event_id
    and s.product_id = v.product_id
    and s.event_time = v.valid_from
    and s.event_type in ('product_created', 'price_updated', 'product_discontinued')
    and s.seq <= (select rc.watermark_to from run_context as rc)
    and not exists (select 1 from line_exceptions as e where e.seq = s.seq)
  order by s.seq
  limit 1
) as cause on true
where cause.found is null
