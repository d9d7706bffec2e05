-- Catalog events in both payload schemas: v1 (id, price) and v2 (product_id,
-- price_cents). Prices are cast as they come: a price this project cannot read stops the
-- run, as it would in production.
with source as (
    select event_id, event_type, event_timestamp, payload
    from {{ source('chaoslake', 'raw_events_v1') }}
    where
        event_type in ('product_created', 'price_updated', 'product_discontinued')
        and event_timestamp is not null
),

fields as (
    select
        event_id,
        event_type,
        event_timestamp as changed_at,
        coalesce(payload ->> 'product_id', payload ->> 'id') as sku_text,
        case
            when payload ? 'price_cents' then (payload ->> 'price_cents')::numeric / 100
            when payload ? 'new_price_cents' then (payload ->> 'new_price_cents')::numeric / 100
            when event_type = 'product_created' then (payload ->> 'price')::numeric
            when event_type = 'price_updated' then (payload ->> 'new_price')::numeric
        end as unit_price,
        payload ->> 'category' as product_category
    from source
)

select
    event_id,
    event_type,
    changed_at,
    sku_text::bigint as sku,
    unit_price,
    product_category
from fields
where sku_text ~ '^[0-9]{1,18}$'
