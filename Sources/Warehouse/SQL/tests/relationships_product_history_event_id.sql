-- severity: error
-- Every version is caused by an accepted state event of its own product.
select
  h.product_id,
  h.version,
  h.event_id
from product_history as h
inner join tested_products as t on h.product_id = t.product_id
where not exists (
  select 1
  from stg_events as s
  inner join line_status as l on s.seq = l.seq
  where
    s.product_id = h.product_id
    and s.event_id = h.event_id
    and s.event_type in ('product_created', 'price_updated', 'product_discontinued')
    and l.status = 'accepted'
)
