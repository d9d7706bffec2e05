-- severity: error
-- Every version the run wrote is caused by an accepted state event of its own product, at
-- its start.
with versions as (
  select
    h.product_id,
    h.valid_from,
    h.event_id
  from product_versions as h
  inner join tested_products as t on h.product_id = t.product_id and h.valid_from >= t.since
),

accepted_state_events as (
  -- no exception stored: accepted, if judged
  select
    s.product_id,
    s.event_id,
    s.event_time
  from stg_events as s
  inner join tested_products as t on s.product_id = t.product_id and s.event_time >= t.since
  where
    s.event_type in ('product_created', 'price_updated', 'product_discontinued')
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
  from accepted_state_events as a
  where
    a.product_id = v.product_id and a.event_id = v.event_id and a.event_time = v.valid_from
)
